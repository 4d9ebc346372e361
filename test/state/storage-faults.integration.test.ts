// A state dir that takes no write (full: a tmpfs filled to the last byte; read-only: a read-only
// mount), on real guests: hotplug, disk and pause writes are refused before the guest is touched,
// because their write-ahead journal line could not be written; the message names the file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiskstats } from '../../src/collectors/proc/diskstats.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-faults-'));
const full = path.join(root, 'full');
const ro = path.join(root, 'ro');
let tmux: Tmux | undefined;

beforeAll(async () => {
  fs.mkdirSync(full);
  fs.mkdirSync(ro);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
  fs.mkdirSync(path.join(full, 'umltop'), { mode: 0o700 });
  try {
    // fill it: every block taken, so the next append gets ENOSPC
    fs.writeFileSync(path.join(full, 'umltop', 'filler'), Buffer.alloc(64 << 10));
  } catch {
    /* expected: full, as wanted */
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', ro]);
  fs.mkdirSync(path.join(ro, 'umltop'), { mode: 0o700 });
  execFileSync('mount', ['-o', 'remount,ro', ro]);
  fleet = await Fleet.boot([{ umid: 'sf-a', memMiB: 128 }]);
}, 60_000);
afterAll(async () => {
  tmux?.kill();
  await fleet?.teardown();
  for (const m of [full, ro]) {
    try {
      execFileSync('umount', [m]);
    } catch {
      /* expected: not mounted */
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
});

async function guest(): Promise<{ memFree: number; disks: string[] }> {
  const c = new MconsoleClient(fleet.get('sf-a').socket, { timeoutMs: 2000, label: 'test' });
  try {
    const m = parseMeminfo((await c.request('proc meminfo')).text).value;
    const d = parseDiskstats((await c.request('proc diskstats')).text).value.map((x) => x.name);
    return { memFree: m.MemFree ?? 0, disks: d };
  } finally {
    c.close();
  }
}

describe('a state dir that takes no write', () => {
  for (const [what, dir] of [
    ['full (ENOSPC)', full],
    ['read-only (EROFS)', ro],
  ] as const) {
    it(`${what}: mem and disk add are refused before the guest is asked, naming the journal`, async () => {
      const env = { XDG_STATE_HOME: dir };
      const before = await guest();
      const mem = await runCli(['mem', '--uml-dir', fleet.umlDir, '--yes', 'sf-a', '-32M'], { env });
      expect(mem.stderr).toMatch(
        new RegExp(`the journal ${dir}/umltop/journal.jsonl could not be written \\((ENOSPC|EROFS)\\)`),
      );
      expect(mem.stderr).toMatch(/nothing was sent to the guest/);
      expect(mem.code).not.toBe(0);
      const img = path.join(root, 'disk.img');
      fs.writeFileSync(img, '');
      fs.truncateSync(img, 4 << 20);
      const disk = await runCli(['disk', '--uml-dir', fleet.umlDir, 'sf-a', 'add', 'ubdc', img], { env });
      expect(disk.stderr).toMatch(
        /refused: the journal .* could not be written \((ENOSPC|EROFS)\).*nothing was written to the guest/,
      );
      expect(disk.code).toBe(1);
      const after = await guest();
      expect(after.disks).toEqual(before.disks);
      // nothing unplugged: MemFree within what an idle guest drifts by (a 32 MiB unplug would show)
      expect(Math.abs(after.memFree - before.memFree)).toBeLessThan(8 * 1024);
    });
  }

  it('the TUI: a pause is refused and says why; the TUI keeps running and the guest is not paused', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir}`, 110, 34, { XDG_STATE_HOME: full, TERM: 'xterm-256color' });
    await tmux.waitScreen((l) => l.some((x) => /sf-a +running/.test(x)), 'sf-a running');
    tmux.keys('z');
    await tmux.waitScreen((l) => l.some((x) => /Pause sf-a/.test(x)), 'the question');
    tmux.keys('y');
    const s = await tmux.waitScreen((l) => l.some((x) => /journal.jsonl could not be written/.test(x)), 'the refusal');
    expect(s.join('\n')).toMatch(/nothing was sent/);
    tmux.keys('Enter');
    await tmux.waitScreen((l) => l.some((x) => /sf-a +running/.test(x)), 'still running, still drawn');
    const r = await runCli(['--once', '--json', '--uml-dir', fleet.umlDir]);
    expect(JSON.parse(r.stdout).instances[0].state).toBe('running');
    tmux.keys('q');
    await waitFor(() => tmux!.exitCode() !== undefined, 5000, 'exit');
  });
});
