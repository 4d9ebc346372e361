// ProcFiles: /proc read through kept descriptors gives what a fresh read gives, notices an exit
// (even when the pid is reused), grows for long files and closes what is no longer read.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcFiles } from '../../src/collectors/proc-files.js';

describe('ProcFiles', () => {
  it('reads like readFileSync, again and again on one descriptor, and forgets an exited process', async () => {
    const child = spawn('sleep', ['30']);
    const files = new ProcFiles();
    const stat = `/proc/${child.pid}/stat`;
    // wait until the child sleeps (right after spawn it is still exec'ing: its counters move)
    for (let i = 0; i < 200 && !/^\d+ \(sleep\) S /.test(fs.readFileSync(stat, 'utf8')); i++)
      await new Promise((r) => setTimeout(r, 10));
    const fields = (t: string | undefined) => {
      const f = t!.split(' ');
      return [f[0], f[1], f[2], f[3], f[21]];
    }; // pid, comm, state, ppid, starttime
    expect(fields(files.read(stat))).toEqual(fields(fs.readFileSync(stat, 'utf8')));
    expect(files.read(`/proc/${child.pid}/status`)).toMatch(/^Name:\tsleep\n/);
    expect(files.read(stat)!.split(' ')[2]).toBe('S');
    expect(files.openCount).toBe(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(files.read(stat)).toBeUndefined(); // exited and reaped: the kept descriptor says so
    expect(files.openCount).toBe(1);
    expect(files.read('/proc/no-such-pid/stat')).toBeUndefined();
    files.close();
    expect(files.openCount).toBe(0);
  });

  it('grows its buffer for files longer than it and closes files not read since the last sweep', () => {
    const files = new ProcFiles();
    const long = `/proc/${process.pid}/smaps`; // tens of KB for a Node process
    const text = files.read(long)!;
    expect(text.length).toBeGreaterThan(16_384);
    expect(text.split('\n')[0]).toBe(fs.readFileSync(long, 'utf8').split('\n')[0]);
    files.read(`/proc/${process.pid}/stat`);
    files.sweep(); // both were read since the start
    expect(files.openCount).toBe(2);
    files.read(`/proc/${process.pid}/stat`);
    files.sweep(); // smaps was not read since the last sweep
    expect(files.openCount).toBe(1);
    files.close();
  });
});
