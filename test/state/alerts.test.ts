import { describe, expect, it } from 'vitest';
import type { DiscoveredInstance } from '../../src/collectors/discovery.js';
import type { HostCounters } from '../../src/collectors/host-source.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { evaluateAlerts, isStorm } from '../../src/state/alerts.js';
import { snapshot } from '../../src/state/snapshot.js';
import { Store } from '../../src/state/store.js';
import { hostCounters } from '../helpers/host-counters.js';

const inst: DiscoveredInstance = {
  key: '/u/a',
  umid: 'a',
  umlDir: '/u',
  dir: '/u/a',
  socket: '/u/a/mconsole',
  pid: 7,
  starttime: 1,
  dirState: 'ok',
  reason: 'running',
};
const host = (at: number, ticks: number): HostCounters => hostCounters({ at, pid: 7, ticks });
const guest = (at: number, k: number, memAvail: number, oom: number) => ({
  reach: { kind: 'answered' as const },
  counters: {
    errors: {},
    ignoredLines: {},
    stat: { at, value: parseStat(`cpu ${100 * k} 0 0 ${10 * k}\n`).value },
    meminfo: { at, value: { MemTotal: 100_000, MemAvailable: memAvail } },
    vmstat: { at, value: { oom_kill: oom } },
    interrupts: { at, selfRequests: 0, value: [{ irq: '2', name: 'ubd', count: k < 40 ? k : k * 1000 }] },
  },
});

describe('alerts', () => {
  it('host CPU over 90% for 30 s, low guest memory, OOM kills, an IRQ storm: raised with events, then cleared', () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    store.apply({ op: 'discovery', found: [inst] });
    for (let k = 0; k < 45; k++) {
      store.apply({
        op: 'sample',
        key: inst.key,
        sample: {
          host: host(clock.now(), k * 95),
          guest: guest(clock.now(), k, k < 35 ? 50_000 : 5_000, k < 38 ? 0 : 1),
        },
      });
      clock.advance(1000);
    }
    const r = store.records.get(inst.key)!;
    expect([...r.alerts.keys()].sort()).toEqual(['host-cpu', 'irq-storm', 'low-memory']);
    const raised = store
      .recentEvents(100)
      .filter((e) => e.type === 'alert' && e.data?.raised)
      .map((e) => e.data!.alert);
    expect(raised).toEqual(expect.arrayContaining(['host-cpu', 'low-memory', 'oom-kill', 'irq-storm']));
    // the OOM kill alert holds only for the sample in which the kill count rose
    expect(store.recentEvents(100).some((e) => e.data?.alert === 'oom-kill' && e.data?.raised === false)).toBe(true);
    expect(
      snapshot(store)
        .instances[0]!.alerts.map((a) => a.id)
        .sort(),
    ).toEqual(['host-cpu', 'irq-storm', 'low-memory']);
    // the instance dies: 'died' replaces the running-only alerts
    store.apply({ op: 'sample', key: inst.key, sample: { hostGone: 'pid 7 is gone' } });
    expect([...r.alerts.keys()]).toEqual(['died']);
  });

  it('a short burst of CPU does not alert; storms need a baseline or an absolute bound', () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    store.apply({ op: 'discovery', found: [inst] });
    for (let k = 0; k < 10; k++) {
      store.apply({ op: 'sample', key: inst.key, sample: { host: host(clock.now(), k * 99) } });
      clock.advance(1000);
    }
    expect(evaluateAlerts(store.records.get(inst.key)!, clock.wallNow(), 1000)).toEqual([]);
    expect(isStorm(6000, [])).toBe(true);
    expect(isStorm(300, [1, 2, 3])).toBe(false);
    expect(isStorm(300, new Array(20).fill(5))).toBe(true);
  });

  it("a line's history is copied out only when its rate is over the floor", () => {
    let copies = 0;
    const history = () => {
      copies++;
      return new Array(20).fill(5);
    };
    expect(isStorm(150, history)).toBe(false);
    expect(copies).toBe(0);
    expect(isStorm(300, history)).toBe(true);
    expect(copies).toBe(1);
  });
});

describe('network alerts', () => {
  it("an interface's errors and drops: 10 within 30 s raise net-errors (thresholds from the config), cleared once they stop", () => {
    const clock = new ManualClock();
    const store = new Store(clock, {
      intervalMs: 1000,
      thresholds: { netErrors: 10, netErrorsForMs: 10_000 } as never,
    });
    store.apply({ op: 'discovery', found: [inst] });
    let dropped = 0;
    const sample = (k: number) => {
      const counters = {
        rxBytes: k * 100,
        rxPackets: k,
        rxErrors: 0,
        rxDropped: 0,
        txBytes: 0,
        txPackets: 0,
        txErrors: 0,
        txDropped: dropped,
      };
      store.apply({
        op: 'sample',
        key: inst.key,
        sample: {
          host: { ...host(clock.now(), k), net: [{ tap: 'tap0', guestInterface: 'vec0', counters }] },
          guest: guest(clock.now(), k, 90_000, 0),
        },
      });
      clock.advance(1000);
    };
    for (let k = 0; k < 5; k++) sample(k);
    expect(store.records.get(inst.key)!.alerts.has('net-errors')).toBe(false);
    for (let k = 5; k < 9; k++) {
      dropped += 3; // the guest is not reading what the host sends it
      sample(k);
    }
    const raised = store.eventsSince(0).find((e) => e.data?.alert === 'net-errors' && e.data.raised);
    expect(raised?.message).toMatch(/vec0 \(tap tap0\): 12 errors and drops in 10 s/);
    expect(store.records.get(inst.key)!.network![0]!.dropsPerSec).toBe(3);
    for (let k = 9; k < 22; k++) sample(k);
    expect(store.eventsSince(0).some((e) => e.data?.alert === 'net-errors' && e.data.raised === false)).toBe(true);
    expect(store.records.get(inst.key)!.alerts.has('net-errors')).toBe(false);
  });
});

describe('unresponsive without a socket', () => {
  it('a kernel without its socket (booting, between boots) raises the alert only after 10 s of it', () => {
    const clock = new ManualClock();
    const store = new Store(clock);
    const booting = { ...inst, dirState: 'unresponsive' as const, noSocket: true, reason: 'no mconsole socket yet' };
    store.apply({ op: 'discovery', found: [booting] });
    expect(store.records.get(inst.key)!.alerts.has('unresponsive')).toBe(false);
    clock.advance(5000);
    store.apply({ op: 'discovery', found: [booting] });
    expect(store.records.get(inst.key)!.alerts.has('unresponsive')).toBe(false);
    clock.advance(6000);
    store.apply({ op: 'discovery', found: [booting] });
    expect(store.records.get(inst.key)!.alerts.has('unresponsive')).toBe(true);
    // unresponsive for another reason is an alert at once
    const hung = new Store(clock);
    hung.apply({ op: 'discovery', found: [{ ...booting, noSocket: undefined }] });
    hung.apply({ op: 'discovery', found: [{ ...booting, noSocket: undefined }] });
    expect(hung.records.get(inst.key)!.alerts.has('unresponsive')).toBe(true);
  });
});
