// The notify socket on real instances started with mconsole=notify:PATH.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyListener, NotifySocketInUse } from '../../src/collectors/notify.js';
import { systemClock } from '../../src/runtime/clock.js';
import { startNotify } from '../../src/collectors/notify-handler.js';
import { bundleOnIncidents } from '../../src/actions/incident-bundles.js';
import { Poller } from '../../src/collectors/poller.js';
import { snapshot } from '../../src/state/snapshot.js';
import { Store } from '../../src/state/store.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let dir: string;
let store: Store;
let poller: Poller;
let listener: NotifyListener;
const notifyPath = () => path.join(dir, 'notify');
const events = () => store.recentEvents(200);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-notify-'));
  fleet = new Fleet();
  store = new Store(systemClock, { intervalMs: 500 });
  // umltop watches an empty dir at first: the socket notifications bring the instances to it
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  poller = new Poller({ sink: store, clock: systemClock, umlDirs: [empty], intervalMs: 500 });
  poller.start();
  listener = await startNotify({ path: notifyPath(), store, poller });
  bundleOnIncidents(store, { dir: path.join(dir, 'bundles') });
  await Promise.all([
    fleet.start({ umid: 'nt-user', workloads: ['notify'], arg: 1, notifySocket: notifyPath() }),
    fleet.start({ umid: 'nt-panic', workloads: ['panic'], arg: 4, notifySocket: notifyPath() }),
  ]);
});
afterAll(async () => {
  poller?.stop();
  listener?.close();
  await fleet?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('notifications from real guests', () => {
  it('socket: an instance announcing its mconsole path is discovered at once, in a dir umltop did not watch', async () => {
    await waitFor(
      () => events().filter((e) => e.data?.kind === 'socket').length >= 2,
      10_000,
      'two socket notifications',
    );
    expect(poller.umlDirs).toContain(fleet.umlDir);
    await waitFor(
      () => [...store.records.values()].some((r) => r.umid === 'nt-user' && r.state === 'running'),
      5000,
      'nt-user discovered',
    );
  });

  it('user: a guest writing to /proc/mconsole appears with its text', async () => {
    await waitFor(
      () => events().some((e) => e.data?.kind === 'user' && /umltop-notify uptime \d/.test(String(e.data?.text))),
      10_000,
      'a user notification',
    );
    const e = events().find((x) => x.data?.kind === 'user')!;
    expect(e.message).toMatch(/(nt-user|one of nt-\w+, nt-\w+): umltop-notify uptime/);
  });

  it('panic: echo c > /proc/sysrq-trigger arrives with the kernel message and the instance turns dead', async () => {
    await waitFor(
      () => events().some((e) => e.data?.kind === 'panic' && e.umid === 'nt-panic'),
      15_000,
      'the panic pinned on nt-panic',
    ).catch((e: Error) => {
      throw new Error(
        `${e.message}\nevents:\n${events()
          .map((x) => `${x.type} ${x.umid ?? ''} ${x.message}`)
          .join('\n')}`,
      );
    });
    // shown at once, while two live instances could have sent it; then pinned on the one that died
    const first = events().find((x) => x.data?.kind === 'panic')!;
    expect(first.message).toMatch(
      /^(kernel panic in one of nt-\w+, nt-\w+|nt-panic: kernel panic): sysrq triggered crash$/,
    );
    const e = events().find((x) => x.data?.kind === 'panic' && x.umid === 'nt-panic')!;
    expect(e.message).toBe('nt-panic: kernel panic: sysrq triggered crash');
    await waitFor(
      () => [...store.records.values()].some((r) => r.umid === 'nt-panic' && r.state === 'dead'),
      5000,
      'nt-panic dead',
    );
    const snap = snapshot(store).instances.find((i) => i.umid === 'nt-panic')!;
    expect(snap).toMatchObject({
      state: 'dead',
      reason: expect.stringMatching(/^kernel panic: sysrq triggered crash/),
    });
    // a crash bundle is written for the panic: what could still be had, and why the rest could not
    await waitFor(() => events().some((x) => x.umid === 'nt-panic' && x.data?.bundle), 10_000, 'the panic bundle');
    const b = String(events().find((x) => x.umid === 'nt-panic' && x.data?.bundle)!.data!.bundle);
    const sum = JSON.parse(fs.readFileSync(path.join(b, 'summary.json'), 'utf8'));
    expect(sum).toMatchObject({ umid: 'nt-panic', panic: 'sysrq triggered crash', trigger: 'kernel panic' });
    expect(sum.files.find((f: { name: string }) => f.name === 'history.json').ok).toBe(true);
    // once the panicked one is gone, user notifications are pinned on the only candidate left
    await waitFor(
      () => events().some((x) => x.data?.kind === 'user' && x.umid === 'nt-user'),
      10_000,
      'a user notification pinned on nt-user',
    );
  });

  it('a second listener on the same path is refused with a clear error; a stale socket file is taken over', async () => {
    await expect(NotifyListener.open(notifyPath(), () => {})).rejects.toThrow(NotifySocketInUse);
    await expect(NotifyListener.open(notifyPath(), () => {})).rejects.toThrow(
      /already listens on .*notify; give this one its own with --notify-socket/,
    );
    const stale = path.join(dir, 'stale');
    const l = await NotifyListener.open(stale, () => {});
    (l as unknown as { socket: { close(): void } }).socket.close(); // dies without unlinking
    expect(fs.existsSync(stale)).toBe(true);
    const again = await NotifyListener.open(stale, () => {});
    again.close();
    expect(fs.existsSync(stale)).toBe(false);
  });
});
