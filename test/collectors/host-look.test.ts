// HostSource.moved(): the one /proc/PID/schedstat read a quiet instance gets each beat, on real
// processes. A shell that sleeps in a loop wakes a few times a second for little CPU (quiet, as an
// idle guest's kernel); a busy loop runs all the time; a process that never wakes (stopped, frozen)
// and one that is gone both count as moved, so that the full sample finds out why.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HostSource } from '../../src/collectors/host-source.js';

const children: ChildProcess[] = [];
const run = (script: string) => {
  const c = spawn('sh', ['-c', script], { stdio: 'ignore' });
  children.push(c);
  return c;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('HostSource.moved', () => {
  it('is false for a process that only wakes now and then, true for one that runs, never wakes, or is gone', async () => {
    // a clock a second ahead at each look: rates per look, whatever the real spacing
    let t = 0;
    const now = () => t;
    const loop = 'while :; do sleep 0.2; done';
    const stopped = run(loop);
    stopped.kill('SIGSTOP');
    const state = () => fs.readFileSync(`/proc/${stopped.pid}/stat`, 'utf8').split(') ')[1]![0];
    for (let i = 0; i < 500 && state() !== 'T'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(state()).toBe('T');
    const sources = {
      quiet: new HostSource(run(loop).pid!, undefined, undefined, now),
      busy: new HostSource(run('while :; do :; done').pid!, undefined, undefined, now),
      stopped: new HostSource(stopped.pid!, undefined, undefined, now),
    };
    // the first look has nothing to compare with
    for (const s of Object.values(sources)) expect(s.moved()).toBe(true);
    const seen = { quiet: [] as boolean[], busy: [] as boolean[], stopped: [] as boolean[] };
    const deadline = Date.now() + 10_000;
    // looks every 300 ms until the shell has been seen quiet (it starts by forking: not quiet at once)
    while (!seen.quiet.includes(false) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      t += 1000;
      for (const k of ['quiet', 'busy', 'stopped'] as const) seen[k].push(sources[k].moved());
    }
    expect(seen.quiet).toContain(false);
    expect(seen.busy.every(Boolean)).toBe(true);
    expect(seen.stopped.every(Boolean)).toBe(true);
    // gone: its schedstat no longer reads
    const quiet = children[1]!;
    quiet.kill('SIGKILL');
    await new Promise((r) => quiet.once('exit', r));
    t += 1000;
    expect(sources.quiet.moved()).toBe(true);
    for (const s of Object.values(sources)) s.close();
  });
});
