// Memory hotplug on a real instance, through the real binary: ledger, refusals, read-only,
// journal, --once output, the TUI dialog in a real terminal, and SIGKILL mid-operation.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseMeminfo, unnamedKiB } from '../../src/collectors/proc/meminfo.js';
import { Journal } from '../../src/state/journal.js';
import { Ledger, type LedgerEntry } from '../../src/state/ledger.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let state: string;
let runtime: string;
const env = () => ({ XDG_STATE_HOME: state, XDG_RUNTIME_DIR: runtime });
const meminfo = async (umid: string) => {
  const { stdout } = await promisify(execFile)('timeout', [
    '10',
    'uml_mconsole',
    fleet.get(umid).socket,
    'proc',
    'meminfo',
  ]);
  return parseMeminfo(stdout.replace(/^OK /, '')).value;
};
const memFree = async (umid: string) => (await meminfo(umid)).MemFree!;
const ledgerOf = (umid: string) => {
  const l = new Ledger({ XDG_STATE_HOME: state });
  const file = l.fileFor(fleet.umlDir, umid);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LedgerEntry;
};

beforeAll(async () => {
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-state-'));
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rt-'));
  fleet = await Fleet.boot([
    { umid: 'hp1', memMiB: 160 },
    { umid: 'hp2', memMiB: 160 },
    { umid: 'hp3', memMiB: 160 },
    // its page cache churns from the start: a 48 MiB disk read again and again beside 32 MiB in
    // tmpfs, in ~49 MiB available
    { umid: 'hp4', memMiB: 112, workloads: ['workset'], arg: 600, disks: [48], args: ['umltop.hog=32'] },
  ]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
  fs.rmSync(runtime, { recursive: true, force: true });
});

describe('umltop mem on a real instance', () => {
  it('-16M, ledger, --once, +32M refused, +16M restores, --read-only refuses, all journaled', async () => {
    const dir = ['--uml-dir', fleet.umlDir];
    const free0 = await memFree('hp1');
    const r1 = await runCli(['mem', ...dir, 'hp1', '-16M'], { env: env() });
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(
      /^hp1: asked −16 MiB, guest −1[56](\.\d)? MiB, host .* [KM]iB; ledger 16 MiB unplugged\n$/,
    );
    const free1 = await memFree('hp1');
    expect(free0 - free1).toBeGreaterThanOrEqual(14 * 1024);
    expect(ledgerOf('hp1').unpluggedKiB).toBe(16384);

    const once = await runCli(['--once', '--json', ...dir, '--interval', '0.5'], { env: env() });
    const doc = JSON.parse(once.stdout);
    expect(doc.instances.find((i: { umid: string }) => i.umid === 'hp1').hotplug.unpluggedKiB).toBe(16384);
    expect(doc.instances.find((i: { umid: string }) => i.umid === 'hp2').hotplug.unpluggedKiB).toBe(0);

    const r2 = await runCli(['mem', ...dir, 'hp1', '+32M'], { env: env() });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/refused: \+32 MiB asked, but umltop's ledger has only 16 MiB unplugged/);
    expect(Math.abs((await memFree('hp1')) - free1)).toBeLessThan(1024); // the guest was not touched
    expect(ledgerOf('hp1').unpluggedKiB).toBe(16384);

    // global flags before the subcommand, the negative amount as an argument
    const r3 = await runCli(['--read-only', 'mem', ...dir, 'hp1', '-8M'], { env: env() });
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/read-only/);
    const r3b = await runCli(['mem', 'hp1', '-8M', ...dir, '--read-only'], { env: env() });
    expect(r3b.code).toBe(1);

    const r4 = await runCli(['mem', ...dir, 'hp1', '+16M'], { env: env() });
    expect(r4.code).toBe(0);
    expect(r4.stdout).toMatch(/asked \+16 MiB, guest \+1[56](\.\d)? MiB.*ledger 0 MiB unplugged/);
    expect(Math.abs((await memFree('hp1')) - free0)).toBeLessThan(2048);
    expect(ledgerOf('hp1').unpluggedKiB).toBe(0);

    const journal = new Journal({ XDG_STATE_HOME: state }).read().filter((j) => j.umid === 'hp1');
    // a write is journaled ahead (pending), then its outcome; a refusal touches nothing, once
    expect(journal.map((j) => [j.command, j.outcome])).toEqual([
      ['config mem=-16384K', 'pending'],
      ['config mem=-16384K', 'ok'],
      ['config mem=+32768K', 'refused'],
      ['config mem=-8192K', 'refused'],
      ['config mem=-8192K', 'refused'],
      ['config mem=+16384K', 'pending'],
      ['config mem=+16384K', 'ok'],
    ]);
    expect(journal[1]).toMatchObject({
      user: expect.any(String),
      pid: fleet.get('hp1').pid,
      verification: { askedKiB: -16384, recordedKiB: -16384 },
    });
  });

  it('warns before leaving the guest short, and does nothing without confirmation', async () => {
    const free0 = await memFree('hp2');
    const r = await runCli(['mem', '--uml-dir', fleet.umlDir, 'hp2', '-140M'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/warning: hp2 has .* available; taking 140 MiB leaves .* under the .* safety margin/);
    expect(r.stderr).toMatch(/not done; pass --yes/);
    expect(Math.abs((await memFree('hp2')) - free0)).toBeLessThan(1024);
  });

  it('SIGKILL in the middle of a stepped operation: the ledger file is intact and right', async () => {
    const unnamed0 = unnamedKiB(await meminfo('hp3'))!;
    let pid = 0;
    const pending = runCli(['mem', '--uml-dir', fleet.umlDir, 'hp3', '-48M', '--step', '2M'], {
      env: env(),
      onSpawn: (p) => {
        pid = p;
      },
    });
    const l = new Ledger({ XDG_STATE_HOME: state });
    await waitFor(
      () => {
        try {
          return JSON.parse(fs.readFileSync(l.fileFor(fleet.umlDir, 'hp3'), 'utf8')).unpluggedKiB >= 8192;
        } catch {
          return false;
        }
      },
      10_000,
      'a few steps',
      5,
    );
    process.kill(pid, 'SIGKILL');
    await pending;
    const raw = ledgerOf('hp3'); // parses: intact
    const now = await meminfo('hp3');
    const settled = l.read(fleet.umlDir, 'hp3', raw.identity, now); // as the next umltop settles it
    const dropped = unnamedKiB(now)! - unnamed0; // what the guest gave, whatever reclaim did meanwhile
    expect(settled.unpluggedKiB).toBeGreaterThan(0);
    expect(settled.unpluggedKiB).toBeLessThan(48 * 1024);
    expect(Math.abs(settled.unpluggedKiB - dropped)).toBeLessThanOrEqual(1024); // right, to the guest's own noise
    // and the next operation starts from it: give everything back
    const back = await runCli(['mem', '--uml-dir', fleet.umlDir, 'hp3', `+${settled.unpluggedKiB}K`], { env: env() });
    expect(back.code).toBe(0);
    expect(ledgerOf('hp3').unpluggedKiB).toBe(0);
    // a temp file left by the killed writer is swept by the next write
    expect(fs.readdirSync(path.dirname(l.fileFor(fleet.umlDir, 'hp3'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('a guest whose page cache churns: the ledger is what it gave, and all of it comes back', async () => {
    // reclaim moves MemFree by more than a step meanwhile: verified by MemFree, cuts were recorded
    // short, and what the ledger missed could never be plugged back
    await fleet.waitForConsole(fleet.get('hp4'), /umltop-guest: workset beside 32 MiB/, 60_000);
    const dir = ['--uml-dir', fleet.umlDir];
    const unnamed0 = unnamedKiB(await meminfo('hp4'))!;
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['mem', ...dir, 'hp4', '-8M', '--yes'], { env: env() });
      expect(r.stdout, r.stderr).toMatch(/^hp4: asked −8 MiB/);
    }
    const gave = unnamedKiB(await meminfo('hp4'))! - unnamed0;
    expect(gave).toBeGreaterThan(8 * 1024);
    const ledger = ledgerOf('hp4').unpluggedKiB;
    expect(Math.abs(ledger - gave), `ledger ${ledger} KiB, the guest gave ${gave} KiB`).toBeLessThanOrEqual(512);
    const back = await runCli(['mem', ...dir, 'hp4', `+${ledger}K`], { env: env() });
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(ledgerOf('hp4').unpluggedKiB).toBe(0);
    expect(Math.abs(unnamedKiB(await meminfo('hp4'))! - unnamed0)).toBeLessThanOrEqual(1024);
  }, 90_000);
});

describe('the TUI memory dialog in a real terminal', () => {
  let tmux: Tmux | undefined;
  afterEach(() => {
    tmux?.kill();
    tmux = undefined;
  });

  it('m, -8M, Enter, y unplugs 8 MiB and the table and memory pane show it; read-only hides the key', async () => {
    const free0 = await memFree('hp2');
    tmux = new Tmux();
    tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir}`, 120, 36, { ...env(), TERM: 'xterm-256color' });
    await tmux.waitScreen(
      (l) => l.some((x) => /hp2 +running/.test(x)) && l.some((x) => /Memory · /.test(x)),
      'the first frame',
    );
    tmux.keys('j'); // hp2
    await tmux.waitScreen((l) => l.some((x) => /^▶ +hp2/.test(x)), 'hp2 selected');
    tmux.keys('m');
    await tmux.waitScreen((l) => l.some((x) => x.includes('Memory hotplug · hp2')), 'the dialog');
    tmux.keys('-', '8', 'M');
    await tmux.waitScreen((l) => l.some((x) => x.includes('-8M')), 'the size typed');
    tmux.keys('Enter');
    await tmux.waitScreen(
      (l) => l.some((x) => /Take 8 MiB from hp2/.test(x)) && l.some((x) => /y = yes/.test(x)),
      'the check',
    );
    tmux.keys('y');
    await tmux.waitScreen((l) => l.some((x) => /asked −8 MiB, guest −[78](\.\d)? MiB/.test(x)), 'the verified result');
    expect(free0 - (await memFree('hp2'))).toBeGreaterThanOrEqual(7 * 1024);
    tmux.keys('Escape');
    const s = await tmux.waitScreen(
      (l) => l.some((x) => /hp2 .* 8\.0M /.test(x)) && l.some((x) => /hotplug unplugged 8\.0M/.test(x)),
      'the table and pane to show 8 MiB unplugged',
    );
    expect(s.find((x) => /^▶ +hp2/.test(x))).toMatch(/ 8\.0M /);
    expect(ledgerOf('hp2').unpluggedKiB).toBe(8192);
    tmux.keys('q');
    await waitFor(() => tmux!.exitCode() !== undefined, 5000, 'exit');
    tmux.kill();

    tmux = new Tmux();
    tmux.start(`node ${BIN} --read-only --uml-dir ${fleet.umlDir}`, 120, 36, { ...env(), TERM: 'xterm-256color' });
    await tmux.waitScreen((l) => l.some((x) => /hp2 +running/.test(x)), 'the first frame (read-only)');
    expect(tmux.screen().join('\n')).not.toMatch(/m memory/);
    expect(tmux.screen()[0]).toMatch(/READ-ONLY/);
    // keys are handled in order: once help (typed after m) is drawn, m was handled
    tmux.keys('m', '?');
    const help = await tmux.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'help');
    expect(help.join('\n')).not.toMatch(/Memory hotplug/);
    expect(help.join('\n')).not.toMatch(/Hot-unplug/);
    // give it back through the CLI
    expect((await runCli(['mem', '--uml-dir', fleet.umlDir, 'hp2', '+8M'], { env: env() })).code).toBe(0);
  });
});
