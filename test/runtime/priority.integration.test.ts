// The real os.setPriority, refused: a user without CAP_SYS_NICE (any non-root user) gets the TUI at
// the nice it started with and a note saying why, not an exception that ends umltop before its
// first frame (it did: the refusal's errno name is in info.code, not code).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectedNice } from '../helpers/nice.js';

const priority = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/runtime/priority.js')).href;

function chooseWith(setprivArgs: string[], wanted?: number): { stdout: string; stderr: string; status: number | null } {
  const script = `const { choosePriority } = await import(${JSON.stringify(priority)});
    console.log(choosePriority(${wanted})); console.log(require('node:os').getPriority());`.replace(
    "require('node:os')",
    "(await import('node:os')).default",
  );
  return spawnSync('setpriv', [...setprivArgs, '--', process.execPath, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
}

describe('choosePriority with the real os.setPriority', () => {
  it('without CAP_SYS_NICE: keeps what it started with and says what it lacks', () => {
    const was = os.getPriority(); // 0, or what the test runner was started with
    const r = chooseWith(['--inh-caps=-sys_nice', '--bounding-set=-sys_nice'], Math.min(was, 0) - 5);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`running at nice ${was}: nice ${Math.min(was, 0) - 5} needs root or CAP_SYS_NICE\n${was}\n`);
  });

  it('as this process may: raised to -5 from 0 with CAP_SYS_NICE, else kept and said', () => {
    const r = chooseWith([]);
    const want = expectedNice();
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${want.note}\n${want.value}\n`);
  });
});
