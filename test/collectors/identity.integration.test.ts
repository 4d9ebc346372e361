// Identity wherever UML puts an instance, on real guests: a random umid in another network
// namespace, a pid file naming another process, a reboot that re-creates the umid dir, and every
// instance on the host found from the process table when no uml dir is given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleTrigger } from '../../src/actions/incident-bundles.js';
import type { StoreEvent } from '../../src/state/records.js';
import { InstanceFinder } from '../../src/collectors/instance-finder.js';
import { Poller } from '../../src/collectors/poller.js';
import { readProc } from '../../src/collectors/proc-files.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { systemClock } from '../../src/runtime/clock.js';
import { Store } from '../../src/state/store.js';
import { Fleet, pidAlive, waitFor } from '../helpers/uml-fleet.js';
import { runCli } from '../helpers/run-cli.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await Fleet.boot([{ umid: 'id-a' }, { umid: 'id-pidfile' }, { umid: 'id-reboot' }]);
});
afterAll(async () => {
  await fleet?.teardown();
});

/** The inode of a socket file, or undefined while it is gone. */
const socketIno = (p: string) => {
  try {
    return fs.statSync(p).ino;
  } catch {
    return undefined;
  }
};
const byPid = (store: Store, pid: number) => [...store.records.values()].find((r) => r.pid === pid);

/** Each turn to unresponsive among the events says "no socket", so none calls for a crash bundle. */
function expectNoBundle(events: StoreEvent[]): void {
  const turns = events.filter((e) => e.type === 'state' && e.data?.to === 'unresponsive');
  for (const e of turns) expect(e.data).toMatchObject({ noSocket: true });
  expect(events.map(bundleTrigger).filter(Boolean)).toEqual([]);
}

async function sampled(umlDirs: string[], o: { processTable?: boolean } = {}) {
  const store = new Store(systemClock);
  const poller = new Poller({ sink: store, clock: systemClock, umlDirs: [...umlDirs], watch: false, ...o });
  await poller.tick();
  await poller.tick();
  poller.stop();
  return store;
}

describe('identity wherever UML puts an instance', () => {
  it('an instance in another network namespace whose umid was taken (UML picked a random one) is running, not "recycled"', async () => {
    // id-a is taken by a live instance: the kernel falls back to a random umid, so its command line
    // names a dir that is not its own, and umltop's namespace's socket table does not list its socket
    const ns = await fleet.start({ umid: 'id-ns', askUmid: 'id-a', netns: true });
    expect(ns.umid).not.toBe('id-a');
    expect(ns.umid).toMatch(/^[A-Za-z0-9]{6}$/);
    const store = await sampled([fleet.umlDir]);
    const rec = byPid(store, ns.pid)!;
    expect(rec).toMatchObject({ umid: ns.umid, state: 'running', reason: 'answering', netns: ns.netns });
    expect(rec.guest?.meminfo.MemTotal).toBeGreaterThan(0);
    expect(byPid(store, fleet.get('id-a').pid)).toMatchObject({ umid: 'id-a', state: 'running' });
    expect(store.orphans.map((o) => o.pid)).not.toContain(ns.pid);
    await fleet.stop(ns);
  });

  it('a pid file that names another process (live, or gone) does not make a live kernel dead: it is sampled, and the note says so', async () => {
    const inst = fleet.get('id-pidfile');
    const pidFile = path.join(inst.dir, 'pid');
    const real = fs.readFileSync(pidFile, 'utf8');
    try {
      fs.writeFileSync(pidFile, `${process.pid}\n`); // a live process that is not a UML kernel
      let store = await sampled([fleet.umlDir]);
      let rec = [...store.records.values()].find((r) => r.umid === 'id-pidfile')!;
      expect(rec).toMatchObject({ pid: inst.pid, state: 'running', reason: 'answering' });
      expect(rec.note).toMatch(new RegExp(`names pid ${process.pid}.*the kernel serving this dir is pid ${inst.pid}`));
      fs.writeFileSync(pidFile, '4194000\n'); // no such process
      store = await sampled([fleet.umlDir]);
      rec = [...store.records.values()].find((r) => r.umid === 'id-pidfile')!;
      expect(rec).toMatchObject({ pid: inst.pid, state: 'running' });
      expect(rec.note).toMatch(/names pid 4194000, which is gone/);
    } finally {
      fs.writeFileSync(pidFile, real);
    }
  });

  it('a reboot (the dir removed and made again by the same process) is never reported dead or gone', async () => {
    const inst = fleet.get('id-reboot');
    const store = new Store(systemClock, { intervalMs: 200 });
    const poller = new Poller({ sink: store, clock: systemClock, umlDirs: [fleet.umlDir], intervalMs: 200 });
    poller.start();
    try {
      await waitFor(
        () => byPid(store, inst.pid)?.guest?.uptimeSeconds !== undefined,
        5000,
        'id-reboot sampled with its uptime',
      );
      const key = byPid(store, inst.pid)!.key;
      const seq = store.lastEventSeq;
      const states = new Set<string>();
      let missing = 0;
      const stopWatching = store.subscribe(() => {
        const r = store.records.get(key);
        if (r) states.add(r.state);
        else missing++;
      });
      // proof of a new boot: a new socket (another inode) and an uptime shorter than the old boot's now
      const upBefore = store.records.get(key)!.guest!.uptimeSeconds!;
      const askedAt = performance.now();
      const oldSocket = fs.statSync(inst.socket).ino;
      const c = new MconsoleClient(inst.socket, { timeoutMs: 1000, label: 'reboot' });
      try {
        await c.request('reboot');
      } finally {
        c.close();
      }
      await waitFor(() => socketIno(inst.socket) !== oldSocket, 5000, 'the old socket to go');
      const newBoot = () => {
        const r = store.records.get(key);
        const oldBootUptime = upBefore + (performance.now() - askedAt) / 1000;
        return r?.state === 'running' && (r.guest?.uptimeSeconds ?? Infinity) < oldBootUptime - 1;
      };
      await waitFor(newBoot, 30_000, 'id-reboot running on its new boot');
      // and still running a sample later
      const seen = store.records.get(key)!.sampleAt!;
      await waitFor(() => (store.records.get(key)?.sampleAt ?? 0) > seen, 10_000, 'a later sample');
      stopWatching();
      const events = store.eventsSince(seq).filter((e) => e.key === key);
      expect(missing).toBe(0);
      expect([...states]).not.toContain('dead');
      expect(events.filter((e) => e.type === 'removed')).toEqual([]);
      expect(
        events
          .filter((e) => e.type === 'state')
          .map((e) => e.message)
          .join('\n'),
      ).not.toMatch(/→ dead/);
      expect(store.records.get(key)).toMatchObject({ pid: inst.pid, state: 'running' });
      expect(pidAlive(inst.pid)).toBe(true);
      // between boots is not a hang: unresponsive only as "no socket", which calls for no crash
      // bundle (one is written per instance process: a real hang later would get none)
      expectNoBundle(events);
    } finally {
      poller.stop();
    }
  });

  it('a halt removes the instance within a second or two, with no crash bundle on the way', async () => {
    const inst = await fleet.start({ umid: 'id-halt' });
    const store = new Store(systemClock, { intervalMs: 200 });
    const poller = new Poller({ sink: store, clock: systemClock, umlDirs: [fleet.umlDir], intervalMs: 200 });
    poller.start();
    try {
      await waitFor(() => byPid(store, inst.pid)?.state === 'running', 5000, 'id-halt sampled');
      const seq = store.lastEventSeq;
      const c = new MconsoleClient(inst.socket, { timeoutMs: 1000, label: 'halt' });
      // expected: the kernel may stop before its reply to halt is sent
      await c.request('halt').catch(() => undefined);
      c.close();
      const t0 = Date.now();
      await waitFor(() => byPid(store, inst.pid) === undefined, 5000, 'id-halt removed');
      expect(Date.now() - t0).toBeLessThan(2500);
      expectNoBundle(store.eventsSince(seq).filter((e) => e.umid === 'id-halt'));
    } finally {
      poller.stop();
      await fleet.stop(inst);
    }
  });

  it('with no uml dir given, instances in other uml dirs are found from the process table and marked; --uml-dir still narrows', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-home-'));
    const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-xdg-'));
    const env = { HOME: home, XDG_CONFIG_HOME: xdg };
    try {
      const r = await runCli(['--once', '--json', '--interval', '0.5'], { env });
      expect(r.stderr).toBe('');
      const doc = JSON.parse(r.stdout);
      const ours = doc.instances.filter((i: { umlDir: string }) => i.umlDir === fleet.umlDir);
      expect(ours.map((i: { umid: string }) => i.umid).sort()).toEqual(['id-a', 'id-pidfile', 'id-reboot']);
      for (const i of ours) expect(i).toMatchObject({ found: 'process table', state: 'running' });
      expect(doc.orphans.map((o: { pid: number }) => o.pid)).not.toContain(fleet.get('id-a').pid);
      // narrowed to an empty dir: none of them, and none an orphan either (their dirs exist)
      const narrow = await runCli(['--once', '--json', '--uml-dir', path.join(home, '.uml')], { env });
      const n = JSON.parse(narrow.stdout);
      expect(n.instances).toEqual([]);
      expect(n.orphans.map((o: { pid: number }) => o.pid)).not.toContain(fleet.get('id-a').pid);
      // a command finds an instance the same way
      const version = await runCli(['mconsole', 'id-a', 'version'], { env });
      expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/Linux/) });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(xdg, { recursive: true, force: true });
    }
  });

  it('an instance whose uml dir is in a mount namespace of its own (a private /tmp) is reached through its root, not orphaned', async () => {
    const priv = await fleet.start({ umid: 'id-private', privateUmlDir: true });
    const hostView = priv.umlDir.replace(`/proc/${priv.pid}/root`, '');
    expect(fs.readdirSync(hostView)).toEqual([]); // here, an empty mount point
    try {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-home-'));
      const r = await runCli(['--once', '--json', '--interval', '0.5'], { env: { HOME: home, XDG_CONFIG_HOME: home } });
      fs.rmSync(home, { recursive: true, force: true });
      const doc = JSON.parse(r.stdout);
      expect(doc.orphans.map((o: { pid: number }) => o.pid)).not.toContain(priv.pid);
      expect(doc.instances.find((i: { pid: number }) => i.pid === priv.pid)).toMatchObject({
        umid: 'id-private',
        umlDir: priv.umlDir,
        found: 'process table',
        state: 'running',
        reason: 'answering',
        note: `in another mount namespace: its uml dir ${hostView} is seen through /proc/${priv.pid}/root`,
      });
    } finally {
      await fleet.stop(priv);
    }
  });

  it('a dead dir (its pid file naming a live process that is no UML kernel) is gone once removed, not held as a kernel between boots', () => {
    const umlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-deaddir-'));
    try {
      fs.mkdirSync(path.join(umlDir, 'stale'));
      fs.writeFileSync(path.join(umlDir, 'stale', 'pid'), `${process.pid}\n`);
      const finder = new InstanceFinder(readProc, () => performance.now());
      expect(finder.scan([umlDir])).toMatchObject([{ umid: 'stale', dirState: 'dead' }]);
      fs.rmSync(path.join(umlDir, 'stale'), { recursive: true });
      expect(finder.scan([umlDir])).toEqual([]);
    } finally {
      fs.rmSync(umlDir, { recursive: true, force: true });
    }
  });

  it('while no process is made, the process table is not read again for running instances; a new kernel is', async () => {
    const reads: string[] = [];
    let newest = 'one';
    const finder = new InstanceFinder(
      (p) => {
        reads.push(p);
        return readProc(p);
      },
      () => performance.now(),
      () => newest,
    );
    const a = fleet.get('id-a');
    expect(finder.scan([fleet.umlDir]).find((f) => f.umid === 'id-a')).toMatchObject({ dirState: 'ok', pid: a.pid });
    finder.scanProcesses([fleet.umlDir]);
    reads.length = 0;
    expect(finder.scanProcesses([fleet.umlDir]).orphans).toEqual([]);
    expect(reads.filter((p) => p.startsWith(`/proc/${a.pid}/`) || p.endsWith('/cmdline'))).toEqual([]);
    const lost = await fleet.start({ umid: 'id-quick' }, { waitReady: false });
    fs.rmSync(lost.dir, { recursive: true, force: true });
    try {
      newest = 'two'; // the host made processes: the table is read in full
      expect(finder.scanProcesses([fleet.umlDir]).orphans.map((o) => o.pid)).toContain(lost.pid);
    } finally {
      await fleet.stop(lost);
    }
  });

  it('an orphan is a kernel whose umid dir is really gone, and its line names that dir', async () => {
    const lost = await fleet.start({ umid: 'id-lost' }, { waitReady: false });
    fs.rmSync(lost.dir, { recursive: true, force: true });
    try {
      const store = await sampled([fleet.umlDir]);
      expect(store.orphans.find((o) => o.pid === lost.pid)).toMatchObject({
        umid: 'id-lost',
        umlDir: fleet.umlDir,
        reason: `UML kernel whose umid dir ${lost.dir} is gone (removed while it runs)`,
      });
      expect([...store.records.values()].some((r) => r.umid === 'id-lost')).toBe(false);
    } finally {
      await fleet.stop(lost);
    }
  });
});
