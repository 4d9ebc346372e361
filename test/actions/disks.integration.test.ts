// umltop disk on real guests: a disk added and removed while the guest runs, seen (and then not) in
// the guest's own diskstats; every refusal made before anything is written to the guest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDiskstats } from '../../src/collectors/proc/diskstats.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { Journal } from '../../src/state/journal.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, type Instance } from '../helpers/uml-fleet.js';

let fleet: Fleet;
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-disk-state-'));
const files = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-disk-files-'));
const env = { XDG_STATE_HOME: state };
const journal = new Journal({ XDG_STATE_HOME: state });

function image(name: string, mib = 8): string {
  const f = path.join(files, name);
  fs.writeFileSync(f, '');
  fs.truncateSync(f, mib * 1024 * 1024);
  return f;
}

async function guestDisks(inst: Instance): Promise<string[]> {
  const c = new MconsoleClient(inst.socket, { timeoutMs: 3000, label: 'test' });
  try {
    return parseDiskstats((await c.request('proc diskstats')).text).value.map((d) => d.name);
  } finally {
    c.close();
  }
}

const disk = (...args: string[]) => runCli(['disk', '--uml-dir', fleet.umlDir, ...args], { env });

beforeAll(async () => {
  fleet = await Fleet.boot([
    { umid: 'dk-plain', workloads: ['idle'] },
    { umid: 'dk-held', workloads: ['diskhold'], disks: [8] },
  ]);
}, 60_000);
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

describe('umltop disk on real guests', () => {
  it('add: the guest diskstats shows the new device; list names its file; remove: it is gone', async () => {
    const plain = fleet.get('dk-plain');
    const file = image('added.img');
    expect(await guestDisks(plain)).not.toContain('ubdc');
    const add = await disk('dk-plain', 'add', 'ubdc', file);
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/ubdc is .*added\.img: the guest's diskstats shows it/);
    expect(add.code).toBe(0);
    expect(await guestDisks(plain)).toContain('ubdc');
    const list = await disk('dk-plain', 'list');
    expect(list.stdout).toMatch(new RegExp(`^ubdc +ubd2 +${file}$`, 'm'));
    const rm = await disk('dk-plain', 'remove', 'ubdc');
    expect(rm.stdout).toMatch(/ubdc removed: the guest's diskstats no longer shows it/);
    expect(rm.code).toBe(0);
    expect(await guestDisks(plain)).not.toContain('ubdc');
    const lines = journal.read().filter((j) => j.umid === 'dk-plain');
    expect(lines.map((j) => [j.command, j.outcome])).toEqual([
      [`config ubd2=${file}`, 'pending'],
      [`config ubd2=${file}`, 'ok'],
      ['remove ubd2', 'pending'],
      ['remove ubd2', 'ok'],
    ]);
  });

  it('refuses a missing file, a file another instance uses and a taken slot, writing nothing', async () => {
    const before = journal.read().length;
    const plainDisks = await guestDisks(fleet.get('dk-plain'));
    const missing = await disk('dk-plain', 'add', 'ubdc', path.join(files, 'no-such.img'));
    expect(missing.stderr).toMatch(/refused: .*no-such\.img does not exist \(nothing was written to the guest\)/);
    expect(missing.code).toBe(1);
    const held = fleet.get('dk-held');
    const theirs = await disk('dk-plain', 'add', 'ubdc', held.disks[0]!);
    expect(theirs.stderr).toMatch(
      new RegExp(`refused: .* is in use: the UML instance of pid ${held.pid} (has it open|names it)`),
    );
    expect(theirs.code).toBe(1);
    const taken = await disk('dk-held', 'add', 'ubdb', image('other.img'));
    expect(taken.stderr).toMatch(/refused: ubdb is taken: it is .*dk-held-ubdb\.img/);
    expect(taken.code).toBe(1);
    const noSlot = await disk('dk-plain', 'add', 'ubdz', image('z.img'));
    expect(noSlot.stderr).toMatch(/'ubdz' is not a disk slot/);
    const ro = await runCli(
      ['disk', '--uml-dir', fleet.umlDir, '--read-only', 'dk-plain', 'add', 'ubdc', image('ro.img')],
      { env },
    );
    expect(ro.stderr).toMatch(/refused: 'add' writes to the instance, and umltop is in read-only mode/);
    expect(ro.code).toBe(2);
    expect(journal.read().length).toBe(before);
    expect(await guestDisks(fleet.get('dk-plain'))).toEqual(plainDisks);
  });

  it("explains the guest's refusals: a disk in use, a device it does not have", async () => {
    const rm = await disk('dk-held', 'remove', 'ubdb');
    expect(rm.stderr).toMatch(/ubdb is in use in the guest \(mounted, or open by a process\)/);
    expect(rm.code).toBe(1);
    expect(await guestDisks(fleet.get('dk-held'))).toContain('ubdb');
    expect(journal.read().at(-1)).toMatchObject({ umid: 'dk-held', command: 'remove ubd1', outcome: 'err' });
    const none = await disk('dk-plain', 'remove', 'ubdd');
    expect(none.stderr).toMatch(/refused: dk-plain has no disk ubdd/);
    expect(none.code).toBe(1);
  });
});
