// Memory pressure and advice from a real guest's counters: vmstat and meminfo captured from a 7.2.7
// guest of 128 MiB whose disk working set (48 MiB, read again and again) no longer fitted after
// 48 MiB was unplugged (pressed-1, pressed-2, 5.5 s apart), and again after it was plugged back
// (fits-1, fits-2). Through the real parsers, rate code and store.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredInstance } from '../../src/collectors/discovery.js';
import type { HostTotals } from '../../src/collectors/host-totals.js';
import { parsePsiAvg10 } from '../../src/collectors/host-totals.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { parseVmstat, VMSTAT_USED } from '../../src/collectors/proc/vmstat.js';
import { guestView } from '../../src/state/guest-view.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { DEFAULT_POLICY, decide, type HoldMemo, headroom, newMoveHistory, recordMove } from '../../src/state/advice.js';
import type { InstanceRecord } from '../../src/state/records.js';
import { headroomText } from '../../src/ui/keys/table-instance.js';
import { evaluateAlerts } from '../../src/state/alerts.js';
import { pressureOf } from '../../src/state/pressure.js';
import { csvRows, snapshot } from '../../src/state/snapshot.js';
import { Store } from '../../src/state/store.js';
import { hostCounters } from '../helpers/host-counters.js';

const FIX = path.join(import.meta.dirname, '../fixtures/proc/uml-7.2/pressure');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');

const inst = (umid: string, pid: number): DiscoveredInstance => ({
  key: `/u/${umid}`,
  umid,
  umlDir: '/u',
  dir: `/u/${umid}`,
  socket: `/u/${umid}/mconsole`,
  pid,
  starttime: 1,
  dirState: 'ok',
  reason: 'running',
});

/** Two samples of a guest, `dt` ms apart, from two vmstat texts and a meminfo text. */
function feed(
  store: Store,
  clock: ManualClock,
  i: DiscoveredInstance,
  vm: [string, string],
  mem: string,
  unplugged = 0,
) {
  for (const [k, text] of vm.entries()) {
    const at = clock.now();
    store.apply({
      op: 'sample',
      key: i.key,
      sample: {
        host: hostCounters({ at, pid: i.pid!, ticks: k, state: 'S' }),
        guest: {
          reach: { kind: 'answered' },
          counters: {
            errors: {},
            ignoredLines: {},
            stat: { at, value: parseStat(`cpu ${100 + k} 0 0 ${1000 + 100 * k}\nbtime 1\n`).value },
            meminfo: { at, value: parseMeminfo(mem).value },
            vmstat: { at, value: parseVmstat(text).value },
          },
        },
        unpluggedKiB: unplugged,
      },
    });
    if (k === 0) clock.advance(5500);
  }
}

function fleet() {
  const clock = new ManualClock();
  const store = new Store(clock, { intervalMs: 1000, quietMaxAgeMs: 5000 });
  const [ws, idle] = [inst('ws', 7), inst('idle', 8)];
  store.apply({ op: 'discovery', found: [ws, idle] });
  feed(store, clock, idle, [read('vmstat-fits-1'), read('vmstat-fits-2')], read('meminfo-fits'));
  feed(store, clock, ws, [read('vmstat-pressed-1'), read('vmstat-pressed-2')], read('meminfo-pressed'), 33_280);
  return { clock, store, ws: store.records.get(ws.key)!, idle: store.records.get(idle.key)! };
}

const host = (availMiB: number): HostTotals => ({
  at: 0,
  cpus: 2,
  load: [0, 0, 0],
  memTotalKiB: 24 << 20,
  memAvailableKiB: availMiB * 1024,
});

describe('memory pressure from real reclaim counters', () => {
  it('a guest whose working set no longer fits is pressed, with the reason in words; one that fits is ok', () => {
    const { ws, idle } = fleet();
    expect(ws.guest?.pressure?.state).toBe('pressed');
    // 134 stalls and 5627 pages scanned over 5.5 s
    expect(ws.guest?.vmstat.stallsPerSec).toBeCloseTo(134 / 5.5, 0);
    expect(ws.guest?.vmstat.directScanPerSec).toBeCloseTo(5627 / 5.5, 0);
    expect(ws.guest?.pressure?.reason).toMatch(/^24 reclaim stalls\/s$/);
    expect(idle.guest?.pressure?.state).toBe('ok');
    expect(idle.guest?.pressure?.reason).toMatch(/^\d+% available, no direct reclaim or refaults$/);
  });

  it('a sample keeps only the vmstat counters umltop reads, and its views are the same', () => {
    const view = (only?: ReadonlySet<string>) => {
      const counters = (f: string, at: number) => ({
        errors: {},
        ignoredLines: {},
        meminfo: { at, value: parseMeminfo(read('meminfo-pressed')).value },
        vmstat: { at, value: parseVmstat(read(f), only).value },
      });
      return guestView(counters('vmstat-pressed-2', 5500), counters('vmstat-pressed-1', 0));
    };
    const kept = parseVmstat(read('vmstat-pressed-2'), VMSTAT_USED);
    expect(Object.keys(kept.value).length).toBeLessThan(20);
    expect(kept.ignored).toBe(0);
    // every signal is there (no undefined rate), and nothing the views show differs
    expect(view(VMSTAT_USED).vmstat).toEqual(view().vmstat);
    expect(Object.values(view(VMSTAT_USED).vmstat).every((v) => v !== undefined)).toBe(true);
    expect(view(VMSTAT_USED).pressure).toEqual(view().pressure);
  });

  it('the alert, the JSON and the CSV say it', () => {
    const { store, ws, clock } = fleet();
    const alerts = evaluateAlerts(ws, clock.wallNow(), 1000);
    expect(alerts.find((a) => a.id === 'mem-pressure')?.message).toBe('memory pressed: 24 reclaim stalls/s');
    store.apply({ op: 'hostTotals', totals: host(8000) });
    const snap = snapshot(store);
    expect(snap.memory).toMatchObject({ availableKiB: 8000 * 1024, growableKiB: 33_280 });
    const j = snap.instances.find((i) => i.umid === 'ws')!;
    expect(j.guest?.pressure).toMatchObject({ state: 'pressed', signals: { availableKiB: 23_228 } });
    expect(j.advice).toEqual({
      action: 'grow',
      kib: 32 * 1024,
      reason: 'pressed: 24 reclaim stalls/s; 33 MiB unplugged from it',
    });
    expect(csvRows(snap).split('\n')[1]).toMatch(/,pressed,24 reclaim stalls\/s,32768$/);
  });

  it('states between: tight on direct scans or little memory, pressed on an OOM kill or almost none; no state before rates', () => {
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 0, directScanPerSec: 3 })?.state).toBe('tight');
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 0, availablePercent: 6 })?.reason).toBe('6% available');
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 0, oomKills: 1 })?.state).toBe('pressed');
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 250 })?.reason).toBe('250 refaults/s');
    expect(pressureOf({ availablePercent: 50 })).toBeUndefined();
    // unplugged down to 1 MiB, a guest stops reading and every rate falls to 0: pressed all the same
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 0, availablePercent: 1.2 })).toMatchObject({
      state: 'pressed',
      reason: '1% available',
    });
    expect(pressureOf({ stallsPerSec: 0, refaultsPerSec: 0, availablePercent: 3 })?.state).toBe('tight');
  });

  it('host PSI: both lines read, or nothing', () => {
    expect(parsePsiAvg10(read('../../../host/pressure-memory'))).toEqual({ some: 0, full: 0 });
    expect(parsePsiAvg10('some avg10=1.50 avg60=0.00 avg300=0.00 total=9\n')).toBeUndefined();
    expect(parsePsiAvg10(undefined)).toBeUndefined();
  });
});

describe('advice and the balancer policy', () => {
  it('the pressed guest is advised to grow by what was unplugged (whole MiB), the ok guest holds', () => {
    const { store, clock } = fleet();
    const d = decide([...store.records.values()], host(8000), DEFAULT_POLICY, newMoveHistory(), clock.now());
    expect(d.map((x) => [x.umid, x.action, x.kib])).toEqual([
      ['ws', 'grow', 32 * 1024],
      ['idle', 'hold', 0],
    ]);
    expect(d[0]!.reason).toBe('pressed: 24 reclaim stalls/s; 33 MiB unplugged from it');
    expect(d[1]!.reason).toMatch(/^ok: /);
  });

  it('the host under its reserve: no grow, the ok guest gives what is short, never past its margin', () => {
    const { store, clock, idle } = fleet();
    const p = { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 };
    const d = decide([...store.records.values()], host(7990), p, newMoveHistory(), clock.now());
    expect(d[0]).toMatchObject({ umid: 'ws', action: 'hold' });
    expect(d[0]!.reason).toMatch(/the host is at its reserve \(7990 MiB available, reserve 8000 MiB\)/);
    // 10 MiB short: at least minMoveKiB (8 MiB), rounded up to whole MiB
    expect(d[1]).toMatchObject({ umid: 'idle', action: 'shrink', kib: -10 * 1024 });
    // far under the reserve: no more than its MemAvailable over 20 % of MemTotal, nor its floor
    const far = decide([...store.records.values()], host(4000), p, newMoveHistory(), clock.now());
    const m = idle.guest!.meminfo;
    const limit = Math.min(m.MemAvailable! - m.MemTotal! * 0.2, m.MemTotal! * 0.5, DEFAULT_POLICY.stepKiB);
    expect(-far[1]!.kib).toBe(Math.floor(limit / 1024) * 1024);
    // a floor of 90 % of its size: what is above it, and no more
    const floored = decide([...store.records.values()], host(4000), { ...p, floorPercent: 90 }, newMoveHistory(), 0);
    expect(-floored[1]!.kib).toBe(Math.floor((m.MemTotal! * 0.1) / 1024) * 1024);
  });

  it('a hold is kept while its figures stay, and decided anew when they change or the host runs short', () => {
    const { store, clock, idle } = fleet();
    const memo: HoldMemo = new WeakMap();
    const p = { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 };
    const round = (availMiB: number, stale = (_r: InstanceRecord) => false) =>
      decide([...store.records.values()], host(availMiB), p, newMoveHistory(), clock.now(), stale, memo);
    const [grow1, hold1] = round(8100);
    const [grow2, hold2] = round(8100);
    expect(hold2).toBe(hold1); // nothing made for the guest that did not change
    expect(grow2).not.toBe(grow1); // a grow shares the host's spare with the others: always anew
    expect(grow2).toEqual(grow1);
    // under the reserve the kept hold must not hide the shrink
    expect(round(7990)[1]).toMatchObject({ umid: 'idle', action: 'shrink', kib: -10 * 1024 });
    expect(round(8100)[1]!.action).toBe('hold');
    // stale, or new figures: decided anew, with what they say
    expect(round(8100, (r) => r === idle)[1]!.reason).toBe('its figures are stale');
    const before = round(8100)[1]!;
    feed(store, clock, inst('idle', 8), [read('vmstat-pressed-1'), read('vmstat-pressed-2')], read('meminfo-fits'));
    const after = round(8100)[1]!;
    expect(after).not.toBe(before);
    expect(after.reason).toMatch(/^pressed \(/);
  });

  it('a hold is kept through a new sample that says the same (a quiet guest asked for its age)', () => {
    const { store, clock, idle } = fleet();
    const memo: HoldMemo = new WeakMap();
    const p = { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 };
    const round = () =>
      decide([...store.records.values()], host(8100), p, newMoveHistory(), clock.now(), () => false, memo)[1]!;
    const hold = round();
    const view = idle.guest;
    feed(store, clock, inst('idle', 8), [read('vmstat-fits-2'), read('vmstat-fits-2')], read('meminfo-fits'));
    expect(idle.guest).not.toBe(view);
    expect(idle.guest!.pressure).toEqual(view!.pressure);
    expect(round()).toBe(hold);
    // MemAvailable moved by 4 KiB (its reason, in whole percent, says the same): the figures the hold
    // states are new, and so is the hold
    const kib = idle.guest!.meminfo.MemAvailable! + 4;
    const more = read('meminfo-fits').replace(/^MemAvailable:\s+\d+/m, `MemAvailable: ${kib}`);
    feed(store, clock, inst('idle', 8), [read('vmstat-fits-2'), read('vmstat-fits-2')], more);
    const after = round();
    expect(after.reason).toBe(hold.reason);
    expect(after).not.toBe(hold);
    expect(after.signals.availableKiB).toBe(kib);
  });

  it("the host's side in words: available, reserve, over or under it, what the guests could grow by, PSI", () => {
    const { store } = fleet();
    const recs = [...store.records.values()];
    const h = { ...host(7990), psiMemory: { some: 1.5, full: 0.25 } };
    expect(headroomText(headroom(h, recs, { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 }))).toBe(
      'host: 7990 MiB available, reserve 8000 MiB, 10 MiB UNDER it; the guests could grow by 33 MiB (unplugged by umltop); PSI memory some 1.5% full 0.25% (avg10)',
    );
    // the default reserve: 10 % of the host's MemTotal (24 GiB here)
    expect(headroom(host(8000), recs, DEFAULT_POLICY).reserveKiB).toBe(Math.round((24 << 20) * 0.1));
  });

  it('a grow goes only into memory no guest will draw anyway: what they hold untouched is spoken for', () => {
    const { store, clock, ws, idle } = fleet();
    const p = { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 };
    const total = idle.guest!.meminfo.MemTotal!;
    // idle holds its whole size but has touched only 30 MiB less of it; ws is backed in full
    idle.host!.physmemKiB = total - 30 * 1024;
    ws.host!.physmemKiB = total;
    const recs = [...store.records.values()];
    expect(headroom(host(8040), recs, p).untouchedKiB).toBe(30 * 1024);
    // 40 MiB over the reserve, 30 of them spoken for: +10 MiB, not the 32 it could take
    expect(decide(recs, host(8040), p, newMoveHistory(), clock.now())[0]).toMatchObject({ umid: 'ws', kib: 10 * 1024 });
    expect(decide(recs, host(8025), p, newMoveHistory(), clock.now())[0]!.reason).toMatch(
      /at its reserve .*, 30 MiB the guests hold untouched\)$/,
    );
  });

  it('cooldown, hold after a grow, the rate cap, exclusions and stopped guests', () => {
    const { store, clock, ws, idle } = fleet();
    const recs = [...store.records.values()];
    const moves = newMoveHistory();
    recordMove(moves, ws.key, 'grow', clock.now());
    expect(decide(recs, host(8000), DEFAULT_POLICY, moves, clock.now())[0]!.reason).toMatch(/\(cooldown\)$/);
    recordMove(moves, idle.key, 'grow', clock.now() - 60_000);
    const low = { ...DEFAULT_POLICY, hostReserveKiB: 8000 * 1024 };
    expect(decide(recs, host(7000), low, moves, clock.now())[1]!.action).toBe('hold');
    const capped = { ...DEFAULT_POLICY, movesPerMinute: 1 };
    expect(decide(recs, host(8000), capped, moves, clock.now() + 31_000)[0]!.reason).toMatch(
      /1 moves a minute reached/,
    );
    expect(decide(recs, host(8000), { ...DEFAULT_POLICY, exclude: ['ws'] }, newMoveHistory(), 0)[0]!.reason).toBe(
      'excluded in the config',
    );
    ws.state = 'stopped';
    ws.reason = 'paused (mconsole stop)';
    expect(decide(recs, host(8000), DEFAULT_POLICY, newMoveHistory(), 0)[0]).toMatchObject({
      action: 'hold',
      reason: 'stopped: paused (mconsole stop)',
    });
  });
});
