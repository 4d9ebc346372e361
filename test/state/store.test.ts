// Rates from sample timestamps, the liveness decision and the store, with an injected clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiscoveredInstance } from '../../src/collectors/discovery.js';
import type { GuestCounters, GuestSample } from '../../src/collectors/guest-sample.js';
import type { HostCounters } from '../../src/collectors/host-source.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { decideLiveness } from '../../src/state/liveness.js';
import { cpuSplit, perSecond, ticksToPercent } from '../../src/state/rates.js';
import { RingBuffer, roundBf16 } from '../../src/state/ring-buffer.js';
import { snapshot, csvRows, csvHeader } from '../../src/state/snapshot.js';
import { Store } from '../../src/state/store.js';

const inst: DiscoveredInstance = {
  key: '/u/vm1',
  umid: 'vm1',
  umlDir: '/u',
  dir: '/u/vm1',
  socket: '/u/vm1/mconsole',
  pid: 42,
  starttime: 7,
  dirState: 'ok',
  reason: 'running',
};

function host(at: number, cpuTicks: number, extra: Partial<HostCounters> = {}): HostCounters {
  return {
    at,
    pid: 42,
    starttime: 7,
    state: 'S',
    cpuTicks,
    minorFaults: 0,
    majorFaults: 0,
    voluntaryCtxt: 0,
    involuntaryCtxt: 0,
    threads: 3,
    children: 2,
    rssKiB: 1000,
    rssShmemKiB: 500,
    rssAnonKiB: 10,
    rssFileKiB: 400,
    ...extra,
  };
}
function guest(
  at: number,
  cpu: string,
  irqs: Array<[string, string, number]>,
  selfRequests: number,
  selfRequestsCounted?: number,
): GuestSample {
  const counters: GuestCounters = {
    errors: {},
    ignoredLines: {},
    stat: { at, value: parseStat(`cpu ${cpu}\nctxt 100\nprocesses 10\n`).value },
    meminfo: { at, value: { MemTotal: 1000, MemAvailable: 600 } },
    interrupts: {
      at,
      selfRequests,
      ...(selfRequestsCounted !== undefined ? { selfRequestsCounted } : {}),
      value: irqs.map(([irq, name, count]) => ({ irq, name, count })),
    },
    softirqs: { at, value: [{ name: 'TIMER', count: selfRequests * 10 }] },
  };
  return { reach: { kind: 'answered' }, counters };
}

describe('rates', () => {
  it("per second from the samples' own timestamps; a counter going backwards is a reset, not a negative rate", () => {
    expect(perSecond(150, 100, 500)).toBe(100);
    expect(perSecond(50, 100, 1000)).toBeUndefined();
    expect(perSecond(150, 100, 0)).toBeUndefined();
    expect(ticksToPercent(150, 100, 1000)).toBe(50);
  });

  it('guest CPU split and busy %', () => {
    const a = parseStat('cpu 100 0 50 800 50 0 0 0\n').value.cpu!;
    const b = parseStat('cpu 160 0 70 900 70 0 0 0\n').value.cpu!;
    const r = cpuSplit(b, a)!;
    expect(r.split.user).toBeCloseTo(30);
    expect(r.split.idle).toBeCloseTo(50);
    expect(r.busyPercent).toBeCloseTo(40);
    expect(cpuSplit(a, a)).toBeUndefined(); // frozen clock: no time passed in the guest
    expect(cpuSplit(a, b)).toBeUndefined(); // reboot
  });
});

describe('ring buffer', () => {
  it('keeps the newest values, oldest first, NaN for gaps', () => {
    const r = new RingBuffer(3);
    for (const v of [1, 2, undefined, 4]) r.push(v);
    expect(r.values()).toEqual([2, NaN, 4]);
    expect(r.values(2)).toEqual([NaN, 4]);
    expect(r.last()).toBe(4);
    expect(() => new RingBuffer(0)).toThrow();
  });

  it('keeps a line history in bfloat16: 3 significant digits, zero, gaps and the range of a float', () => {
    const r = new RingBuffer(8, 'bfloat16');
    for (const v of [0, 1, 100 / 3, 12345.678, 7e9, -2.5, undefined, 3e38]) r.push(v);
    const got = r.values();
    expect(got.slice(0, 2)).toEqual([0, 1]);
    for (const [i, want] of [
      [2, 100 / 3],
      [3, 12345.678],
      [4, 7e9],
      [5, -2.5],
      [7, 3e38],
    ] as const) {
      expect(Number.isFinite(got[i])).toBe(true); // a number, not a gap
      expect(Math.abs(got[i]! - want) / Math.abs(want)).toBeLessThanOrEqual(2 ** -8);
    }
    expect(got[6]).toBeNaN();
    expect(roundBf16(100.2)).toBe(100); // 8 bits of mantissa: 100.2 is 100, as a sparkline draws it
    expect(roundBf16(1 + 2 ** -8)).toBe(1); // a tie rounds to even
    expect(roundBf16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
  });

  for (const [precision, round] of [
    ['float32', Math.fround],
    ['bfloat16', roundBf16],
  ] as const)
    it(`${precision}: matches a plain array for any pushes: one value repeated, then others, carried forward, cloned`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(
            fc.tuple(fc.constantFrom(0, 0, 0, 1.5, 100 / 3, 100.2, undefined, 7e9), fc.integer({ min: 0, max: 4 })),
          ),
          (capacity, pushes) => {
            const r = new RingBuffer(capacity, precision);
            const model: number[] = [];
            const frozen: Array<{ copy: RingBuffer; at: number[] }> = [];
            for (const [v, times] of pushes) {
              r.push(v, times);
              for (let k = 0; k < Math.min(times, capacity); k++) model.push(round(v ?? NaN));
              model.splice(0, Math.max(0, model.length - capacity));
              frozen.push({ copy: r.clone(), at: [...model] });
              expect(r.values()).toEqual(model);
              expect(r.values(2)).toEqual(model.slice(-2));
              expect(r.length).toBe(model.length);
              expect(r.last()).toEqual(model.at(-1));
            }
            for (const f of frozen) expect(f.copy.values()).toEqual(f.at); // copies unchanged by later pushes
          },
        ),
      );
    });
});

describe('liveness ladder', () => {
  it('tells dead, stopped-on-host, wedged, scheduler-stuck, paused and running apart', () => {
    expect(decideLiveness({ hostGone: 'pid 42 is gone' })).toMatchObject({ state: 'dead' });
    expect(decideLiveness({ hostProcState: 'T' })).toMatchObject({
      state: 'unresponsive',
      reason: expect.stringMatching(/SIGSTOP/),
    });
    expect(decideLiveness({ hostProcState: 'S', reach: { kind: 'wedged', message: 'kernel wedged' } })).toMatchObject({
      state: 'unresponsive',
      reason: 'kernel wedged',
    });
    expect(
      decideLiveness({ hostProcState: 'S', reach: { kind: 'scheduler-stuck', message: 'scheduler stuck' } }),
    ).toMatchObject({ state: 'unresponsive' });
    expect(
      decideLiveness({
        hostProcState: 'S',
        reach: { kind: 'answered' },
        guestIdleFrozenMs: 2000,
        hostSyscall: 45,
        hostCpuPercent: 0.5,
      }),
    ).toMatchObject({ state: 'stopped' });
    // a spinner also has frozen idle, but burns host CPU and is not blocked in recvfrom
    expect(
      decideLiveness({
        hostProcState: 'R',
        reach: { kind: 'answered' },
        guestIdleFrozenMs: 2000,
        hostSyscall: 61,
        hostCpuPercent: 98,
      }),
    ).toMatchObject({ state: 'running' });
    expect(
      decideLiveness({
        hostProcState: 'S',
        reach: { kind: 'answered' },
        guestIdleFrozenMs: 2000,
        hostSyscall: 45,
        hostCpuPercent: 60,
      }),
    ).toMatchObject({ state: 'running' });
    // without ptrace access to /proc/<pid>/syscall, the wait channel tells
    expect(
      decideLiveness({
        hostProcState: 'S',
        reach: { kind: 'answered' },
        guestIdleFrozenMs: 2000,
        hostWchan: '__skb_wait_for_more_packets',
      }),
    ).toMatchObject({ state: 'stopped' });
    expect(
      decideLiveness({ hostProcState: 'S', reach: { kind: 'answered' }, guestIdleFrozenMs: 300, hostSyscall: 61 }),
    ).toMatchObject({ state: 'running' });
    // in the stop loop, even when `proc` times out behind it (taken by the interrupt handler)
    expect(
      decideLiveness({
        hostProcState: 'S',
        reach: { kind: 'scheduler-stuck', message: 'x' },
        hostSyscall: 45,
        hostCpuPercent: 0,
      }),
    ).toMatchObject({ state: 'stopped' });
    // the socket refuses but the kernel process runs (a reboot, a removed socket): never dead
    expect(decideLiveness({ hostProcState: 'S', reach: { kind: 'gone', message: 'refused' } })).toMatchObject({
      state: 'unresponsive',
      reason: 'refused, but its kernel process runs',
    });
    expect(decideLiveness({ reach: { kind: 'gone', message: 'refused' } })).toMatchObject({ state: 'dead' });
  });
});

/**
 * Discovery, then two samples 2 s apart: 100 host ticks, 50 of 200 guest jiffies busy, 8 ubd
 * interrupts; the mconsole count goes from 10 to `second.mconsole` while umltop's request count
 * goes from 10 to `second.selfRequests`.
 */
function twoSamples(
  store: Store,
  clock: ManualClock,
  second: { mconsole: number; selfRequests: number },
  firstCounted?: number,
): void {
  store.apply({ op: 'discovery', found: [inst] });
  const t0 = clock.now();
  store.apply({
    op: 'sample',
    key: inst.key,
    sample: {
      host: host(t0, 1000),
      guest: guest(
        t0,
        '100 0 0 900',
        [
          ['5', 'mconsole', 10],
          ['2', 'ubd', 0],
        ],
        10,
        firstCounted,
      ),
    },
  });
  clock.advance(2000);
  const t1 = clock.now();
  store.apply({
    op: 'sample',
    key: inst.key,
    sample: {
      host: host(t1, 1100),
      guest: guest(
        t1,
        '150 0 0 1050',
        [
          ['5', 'mconsole', second.mconsole],
          ['2', 'ubd', 8],
        ],
        second.selfRequests,
      ),
    },
  });
}

describe('store', () => {
  it('computes host and guest rates from two samples and subtracts its own mconsole IRQs', async () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    let notified = 0;
    store.subscribe(() => {
      notified++;
    });
    twoSamples(store, clock, { mconsole: 30, selfRequests: 24 });
    const r = store.records.get(inst.key)!;
    expect(r.host!.cpuPercent).toBe(50); // 100 ticks over 2 s
    expect(r.guest!.cpuPercent).toBe(25); // 50 of 200 jiffies busy
    const mc = r.guest!.interrupts.find((i) => i.name === 'mconsole')!;
    expect(mc.perSec).toBe(10);
    expect(mc.self!.perSec).toBe(7); // 14 of the 20 were umltop's own requests
    expect(r.guest!.irqPerSec).toBe(7); // 3 foreign mconsole/s + 4 ubd/s
    expect(r.history.hostCpu.values()).toEqual([NaN, 50]);
    // a line's history is drawn and compared to a median, in 16 bits; the instance's own in 32
    expect(r.history.lines.get('irq:2')!.values()).toEqual([NaN, 4]);
    expect(r.history.lines.get('irq:2')!.precision).toBe('bfloat16');
    expect(r.history.hostCpu.precision).toBe('float32');
    await Promise.resolve();
    expect(notified).toBe(1); // coalesced
  });

  it('requests sent together that shared interrupts: its own share is at most what the guest counted', () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    // 8 requests in 2 s, in bursts the guest took as 2 interrupts
    twoSamples(store, clock, { mconsole: 12, selfRequests: 18 });
    const mc = store.records.get(inst.key)!.guest!.interrupts.find((i) => i.name === 'mconsole')!;
    expect(mc.perSec).toBe(1);
    expect(mc.self!.perSec).toBe(1);
    expect(store.records.get(inst.key)!.guest!.irqPerSec).toBe(4); // ubd only: nothing of mconsole is counted as foreign
  });

  it('requests of a burst the first reading may not have counted yet are its own in the second', () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    // the first reading came with the first of a burst of 6 (sent 4..10); 3 more sent by the second
    twoSamples(store, clock, { mconsole: 18, selfRequests: 13 }, 5);
    const mc = store.records.get(inst.key)!.guest!.interrupts.find((i) => i.name === 'mconsole')!;
    expect(mc.perSec).toBe(4);
    expect(mc.self!.perSec).toBe(4); // up to 8 of ours (13 - 5) can be in the 8 counted
    expect(store.records.get(inst.key)!.guest!.irqPerSec).toBe(4); // ubd only
  });

  it('a rate is never computed across two different processes (pid reused / restarted instance)', () => {
    const clock = new ManualClock();
    const store = new Store(clock);
    store.apply({ op: 'discovery', found: [inst] });
    store.apply({ op: 'sample', key: inst.key, sample: { host: host(clock.now(), 1000) } });
    clock.advance(1000);
    store.apply({ op: 'sample', key: inst.key, sample: { host: host(clock.now(), 5, { starttime: 99 }) } });
    expect(store.records.get(inst.key)!.host!.cpuPercent).toBeUndefined();
  });

  it('a booting instance (no socket yet: invalid) is running once its dir has a socket, before its first sample', () => {
    const clock = new ManualClock();
    const store = new Store(clock);
    store.apply({ op: 'discovery', found: [{ ...inst, dirState: 'invalid', reason: 'no mconsole socket' }] });
    expect(store.records.get(inst.key)!.state).toBe('invalid');
    store.apply({ op: 'discovery', found: [inst] });
    expect(store.records.get(inst.key)).toMatchObject({
      state: 'running',
      reason: 'mconsole socket up (guest not asked yet)',
    });
  });

  it('sample age and stale marker follow the injected clock', () => {
    const clock = new ManualClock();
    const store = new Store(clock, { intervalMs: 1000 });
    store.apply({ op: 'discovery', found: [inst] });
    store.apply({ op: 'sample', key: inst.key, sample: { host: host(clock.now(), 1) } });
    const r = store.records.get(inst.key)!;
    clock.advance(1500);
    expect(store.sampleAgeMs(r)).toBe(1500);
    expect(store.isStale(r)).toBe(false);
    clock.advance(1000);
    expect(store.isStale(r)).toBe(true);
  });

  it('a guest whose idle time stays frozen while its kernel waits in the stop loop turns stopped; its CPU % is not reported', () => {
    const clock = new ManualClock();
    const store = new Store(clock);
    store.apply({ op: 'discovery', found: [inst] });
    for (let i = 0; i < 3; i++) {
      // as measured while stopped: our requests get charged to guest 'user', idle does not move
      store.apply({
        op: 'sample',
        key: inst.key,
        sample: {
          host: host(clock.now(), 1, { syscall: 45 }),
          guest: guest(clock.now(), `${100 + i * 100} 0 0 900`, [], i),
        },
      });
      clock.advance(1000);
    }
    const r = store.records.get(inst.key)!;
    expect(r.state).toBe('stopped');
    expect(r.guest!.cpuPercent).toBeUndefined();
    expect(r.history.guestCpu.values()).toEqual([NaN, NaN, NaN]); // first: no rate yet; then paused
    expect(store.recentEvents(5).some((e) => e.type === 'state' && /running → stopped/.test(e.message))).toBe(true);
  });

  it('removes instances whose dir went away, with an event; the snapshot and CSV have the documented shape', () => {
    const clock = new ManualClock();
    const store = new Store(clock);
    store.apply({
      op: 'discovery',
      found: [inst, { ...inst, key: '/u/x,"=1', umid: 'x,"=1', dirState: 'invalid', reason: 'not a directory' }],
    });
    const s = snapshot(store);
    expect(s.instances.map((i) => [i.umid, i.state])).toEqual([
      ['vm1', 'running'],
      ['x,"=1', 'invalid'],
    ]);
    expect(s.instances[0]).toMatchObject({
      pid: 42,
      hotplug: { unpluggedKiB: 0 },
      host: null,
      guest: null,
      sampleAgeMs: null,
    });
    expect(s.sources['guest.meminfo']).toMatch(/mconsole proc meminfo/);
    const csv = csvHeader() + csvRows(s);
    expect(csv.split('\n')[0]).toMatch(/^time,umid,uml_dir,pid,state,/);
    expect(csv).toContain('"x,""=1"'); // quoted
    // a cell a spreadsheet would run starts with ', and control characters show as escapes
    const hostile = csvRows({
      ...s,
      instances: [{ ...s.instances[0]!, umid: '=HYPERLINK("http://x")', reason: '@SUM(1)\u001b]0;t\u0007\nx' }],
    });
    expect(hostile).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(hostile).toContain(`'@SUM(1)\\e]0;t\\a\\nx`);
    expect(hostile.trim().split('\n')).toHaveLength(1);
    store.apply({ op: 'discovery', found: [] });
    expect(store.records.size).toBe(0);
    expect(store.recentEvents(2).map((e) => e.type)).toEqual(['removed', 'removed']);
  });
});
