// The fallback runtime dir (no XDG_RUNTIME_DIR): umltop's client sockets live in a private
// umltop-PID-XXXXXX under TMPDIR, removed when umltop exits; what a SIGKILLed umltop left is swept
// by the next one; nothing that is not umltop's, or whose process lives, is touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rtd-test-'));
const env = { TMPDIR: tmp, XDG_RUNTIME_DIR: '' };
beforeAll(async () => {
  fleet = await Fleet.boot([{ umid: 'rtd-a' }]);
}, 60_000);
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(tmp, { recursive: true, force: true });
});
const ours = () => fs.readdirSync(tmp).filter((n) => /^umltop-\d+-/.test(n));

describe('the fallback runtime dir', () => {
  it('is removed when umltop exits', async () => {
    const r = await runCli(['--once', '--json', '--uml-dir', fleet.umlDir], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).instances[0].umid).toBe('rtd-a');
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("what a SIGKILLed umltop left is swept by the next; others' dirs are left alone", async () => {
    let pid = 0;
    const running = runCli(['--batch', '--json', '-d', '0.5', '--uml-dir', fleet.umlDir], {
      env,
      onSpawn: (p) => {
        pid = p;
      },
    });
    // its dir with a socket in it (the dir is made a moment before the first socket)
    const mine = () => ours().find((n) => n.startsWith(`umltop-${pid}-`));
    await waitFor(
      () => (mine() ? fs.readdirSync(path.join(tmp, mine()!)).length > 0 : false),
      10_000,
      'its runtime dir',
    );
    process.kill(pid, 'SIGKILL');
    await running;
    const left = ours();
    expect(left).toHaveLength(1);
    expect(fs.readdirSync(path.join(tmp, left[0]!)).length).toBeGreaterThan(0); // its sockets
    // a live process's dir, and a dead one's holding something that is not a socket: not umltop's to remove
    const alive = path.join(tmp, `umltop-${process.pid}-abcdef`);
    const foreign = path.join(tmp, 'umltop-999999-ghijkl');
    fs.mkdirSync(alive);
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'not a socket');
    const r = await runCli(['--once', '--json', '--uml-dir', fleet.umlDir], { env });
    expect(r.code).toBe(0);
    expect(ours().sort()).toEqual([path.basename(foreign), path.basename(alive)].sort());
  });
});
