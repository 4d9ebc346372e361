// tuneJit (called by bin/umltop before the bundle loads): in a fresh Node process, the same
// moderate work sends fewer functions to the optimizing compiler once it is in effect, and the
// really hot ones still go.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (p: string) => JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, '../../dist', p)).href);
const fixture = JSON.stringify(path.resolve(import.meta.dirname, '../fixtures/proc/uml-7.2/busy/meminfo'));

// Compiled on the main thread (--no-concurrent-recompilation), so every optimization has been
// traced by the time the script ends: no wait for background jobs.
function optimized(tune: boolean, rounds: number, afterMs = 0, waitMs = 0): number {
  const script = `
    if (${tune}) (await import(${dist('runtime/v8-jit.js')})).tuneJit(16, ${afterMs});
    await new Promise((r) => setTimeout(r, ${waitMs}));
    const { parseMeminfo } = await import(${dist('collectors/proc/meminfo.js')});
    const text = (await import('node:fs')).readFileSync(${fixture}, 'utf8');
    let n = 0;
    for (let i = 0; i < ${rounds}; i++) n += Object.keys(parseMeminfo(text).value).length;
    if (n === 0) throw new Error('nothing parsed');
  `;
  const out = execFileSync(
    process.execPath,
    ['--trace-opt', '--no-concurrent-recompilation', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  return out.split('\n').filter((l) => l.startsWith('[completed compiling')).length;
}

describe('tuneJit', () => {
  it('optimizes less eagerly: a few rounds of parsing optimize nothing, many still do', () => {
    const plainFew = optimized(false, 20);
    expect(plainFew).toBeGreaterThan(0); // V8's default optimizes after this much
    expect(optimized(true, 20)).toBe(0);
    expect(optimized(true, 2000)).toBeGreaterThan(0);
  });

  it('raised after start-up: before then V8 optimizes as usual', () => {
    expect(optimized(true, 20, 5000, 0)).toBeGreaterThan(0); // not yet raised
    expect(optimized(true, 20, 100, 300)).toBe(0); // raised
  });
});
