// More than one host from one screen: two "hosts" are private sshd servers on loopback, each
// session watching its own fleet of real UML instances; umltop runs `umltop --feed` on each over
// the system ssh and shows them in one table beside the local instances. A host going away is
// marked (its instances unresponsive, the header says LOST), never fatal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { LoopbackHosts } from '../helpers/sshd.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let local: Fleet;
let fleetA: Fleet;
let fleetB: Fleet;
let hosts: LoopbackHosts;
let dir: string;
let tmux: Tmux | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-mh-'));
  [local, fleetA, fleetB] = await Promise.all([
    Fleet.boot([{ umid: 'loc-1' }]),
    Fleet.boot([{ umid: 'a-web' }, { umid: 'a-cpu', workloads: ['cpu'] }]),
    Fleet.boot([{ umid: 'b-db' }]),
  ]);
  hosts = new LoopbackHosts(path.join(dir, 'ssh'));
  await hosts.add('hostA', fleetA.umlDir);
  await hosts.add('hostB', fleetB.umlDir);
  await hosts.add('hostC', fleetB.umlDir);
}, 120_000);
afterAll(async () => {
  hosts?.close();
  await Promise.all([local?.teardown(), fleetA?.teardown(), fleetB?.teardown()]);
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

const remoteArgs = () => ['--ssh', `ssh -F ${hosts.sshConfig}`, '--remote-umltop', `${process.execPath} ${BIN}`];

interface Doc {
  instances: Array<{ umid: string; hostName?: string; state: string; reason: string; sampleAgeMs: number | null }>;
  remotes?: Array<{ name: string; state: string; reason: string }>;
}

describe('umltop --host', () => {
  it('shows two hosts and this one in one document; a host that goes away is marked, the rest stay fresh', async () => {
    const args = [
      '--batch',
      '-n',
      '16',
      '--json',
      '--interval',
      '0.5',
      '--uml-dir',
      local.umlDir,
      '--notify-socket',
      path.join(dir, 'n1'),
      '--host',
      'hostA',
      '--host',
      'hostB',
      ...remoteArgs(),
    ];
    let printed = '';
    const run = runCli(args, { timeoutMs: 40_000, onStdout: (all) => (printed = all) });
    const allUp = (l: string) => {
      const d = JSON.parse(l) as Doc;
      return d.instances.length === 4 && d.instances.every((i) => i.state === 'running');
    };
    await waitFor(
      () => printed.split('\n').slice(0, -1).some(allUp),
      20_000,
      'a document with all four instances running',
    );
    hosts.kill('hostB');
    const res = await run;
    expect(res.code, res.stderr).toBe(0);
    const docs = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Doc);
    // before: every instance of every host, running
    const before = docs.find((d) => d.instances.length === 4 && d.instances.every((i) => i.state === 'running'));
    expect(before, 'a document with all four instances running').toBeDefined();
    expect(before!.instances.map((i) => `${i.hostName ?? 'local'}/${i.umid}`).sort()).toEqual([
      'hostA/a-cpu',
      'hostA/a-web',
      'hostB/b-db',
      'local/loc-1',
    ]);
    expect(before!.remotes!.map((r) => `${r.name}:${r.state}`).sort()).toEqual(['hostA:up', 'hostB:up']);
    // after: hostB lost, its instance unresponsive with the reason; hostA and local still fresh
    const last = docs.at(-1)!;
    expect(last.remotes!.find((r) => r.name === 'hostB')!.state).toBe('lost');
    const b = last.instances.find((i) => i.hostName === 'hostB')!;
    expect(b.state).toBe('unresponsive');
    expect(b.reason).toMatch(/^host hostB lost: /);
    for (const i of last.instances.filter((x) => x.hostName !== 'hostB')) {
      expect(i.state, i.umid).toBe('running');
      // fresh for a quiet guest: asked at least every quiet_max_age (5 s), stale after 2 more intervals
      expect(i.sampleAgeMs!, i.umid).toBeLessThan(5000 + 2 * 500);
    }
  }, 60_000);

  it('the TUI shows a HOST column, and a lost host in the header and the table', async () => {
    tmux = new Tmux();
    tmux.start(
      [
        process.execPath,
        BIN,
        '--interval',
        '0.5',
        '--uml-dir',
        local.umlDir,
        '--notify-socket',
        path.join(dir, 'n2'),
        '--host',
        'hostA',
        '--host',
        'hostC',
        ...remoteArgs(),
      ]
        .map((w) => `'${w}'`)
        .join(' '),
      120,
      32,
      { TERM: 'xterm-256color' },
    );
    const s = await tmux.waitScreen(
      (l) =>
        l.some((x) => /b-db +hostC +running/.test(x)) &&
        l.some((x) => /a-cpu +hostA +running/.test(x)) &&
        l.some((x) => /loc-1 +local +running/.test(x)),
      'three hosts in one table',
      30_000,
    );
    expect(s.join('\n')).toMatch(/UMID\S* +HOST +STATE/);
    expect(s[0]).toMatch(/hosts 3\/3 up/);
    hosts.kill('hostC');
    const after = await tmux.waitScreen(
      (l) => /LOST hostC/.test(l[0]!) && l.some((x) => /b-db +hostC +unresp/.test(x)),
      'hostC marked lost',
      20_000,
    );
    expect(after.some((x) => /a-cpu +hostA +running/.test(x))).toBe(true);
    // steering a remote instance is refused with a reason, not attempted
    tmux.keys('/', 'b-db', 'Enter');
    await tmux.waitScreen(
      (l) => l.filter((x) => /^.. \S+ +(hostA|hostC|local) /.test(x)).length === 1,
      'the filter keeps b-db only',
    );
    tmux.keys('m');
    await tmux.waitScreen((l) => /hostC: watched over ssh, read-only here/.test(l.at(-2)!), 'the refusal');
  }, 90_000);
});
