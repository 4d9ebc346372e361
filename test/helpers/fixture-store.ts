// A store filled from captured guest files (real 7.2.7 output) through the real parsers and rate
// code, with an injected clock: what the panes draw in frame tests.
import fs from 'node:fs';
import path from 'node:path';
import type { DiscoveredInstance } from '../../src/collectors/discovery.js';
import type { GuestCounters, GuestSample } from '../../src/collectors/guest-sample.js';
import type { TapCounters } from '../../src/collectors/host-net.js';
import type { HostCounters } from '../../src/collectors/host-source.js';
import { parseDiskstats } from '../../src/collectors/proc/diskstats.js';
import { parseInterrupts } from '../../src/collectors/proc/interrupts.js';
import { parseLoadavg } from '../../src/collectors/proc/loadavg.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { parseSoftirqs } from '../../src/collectors/proc/softirqs.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { parseUptime } from '../../src/collectors/proc/uptime.js';
import { parseVersion } from '../../src/collectors/proc/version.js';
import { parseVmstat } from '../../src/collectors/proc/vmstat.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { Store } from '../../src/state/store.js';

const FIX = path.join(import.meta.dirname, '../fixtures/proc/uml-7.2');
const read = (kind: string, f: string) => fs.readFileSync(path.join(FIX, kind, f), 'utf8');

/** Bump every counter in a /proc text by `k` (so a second sample has rates). */
function bump(text: string, k: number): string {
  return text.replace(
    /(\s)(\d+)(?=\s|$)/g,
    (_m, sp: string, n: string) => `${sp}${Number(n) + k * ((Number(n) % 7) + 1)}`,
  );
}

function guestFrom(kind: string, at: number, k: number, umid: string): GuestSample {
  const counters: GuestCounters = {
    errors: {},
    ignoredLines: {},
    stat: { at, value: parseStat(bump(read(kind, 'stat'), k)).value },
    meminfo: { at, value: parseMeminfo(read(kind, 'meminfo')).value },
    loadavg: { at, value: parseLoadavg(read(kind, 'loadavg')).value! },
    uptime: { at, value: { seconds: parseUptime(read(kind, 'uptime')).value!.seconds + k } },
    interrupts: { at, selfRequests: 7 * k, value: parseInterrupts(bump(read(kind, 'interrupts'), k)).value },
    softirqs: { at, value: parseSoftirqs(bump(read(kind, 'softirqs'), k * 3)).value },
    vmstat: { at, value: parseVmstat(read(kind, 'vmstat')).value },
    version: parseVersion(read(kind, 'version').replace('(none)', `(${umid})`)),
    // the busy guest reads its disk (a captured diskstats, counters moved on each sample)
    ...(kind === 'busy'
      ? {
          diskstats: {
            at,
            value: parseDiskstats(bump(read('disk', 'diskstats'), k * 4000)).value.map((d) => ({ ...d, inFlight: 0 })),
          },
          ubd: {
            ubdb: { file: '/srv/uml/build-2.img' },
            ubdc: { file: '/srv/uml/build-2.cow', backing: '/srv/uml/base.img' },
          },
        }
      : {}),
  };
  return { reach: { kind: 'answered' }, counters };
}

const G = 1 << 30;
const fs1 = { fsSizeBytes: 100 * G, fsAvailBytes: 40 * G };
const BACKING = {
  '/srv/uml/build-2.img': { sizeBytes: 8 * G, allocatedBytes: 2 * G, ...fs1 },
  '/srv/uml/build-2.cow': { sizeBytes: 4 * G, allocatedBytes: 0.25 * G, ...fs1 },
  '/srv/uml/base.img': { sizeBytes: 4 * G, allocatedBytes: 4 * G, ...fs1 },
};

/** The busy guest's tap, counters moving (what the host received is what the guest sent). */
function tapFrom(k: number): TapCounters[] {
  const c = {
    rxBytes: 1000 * k,
    rxPackets: 10 * k,
    rxErrors: 0,
    rxDropped: 0,
    txBytes: 400 * k,
    txPackets: 4 * k,
    txErrors: 0,
    txDropped: 0,
  };
  return [{ tap: 'tap-build2', guestInterface: 'vec0', counters: c }];
}

function hostFrom(at: number, pid: number, ticks: number, net?: TapCounters[]): HostCounters {
  return {
    at,
    pid,
    starttime: 100,
    state: 'S',
    cpuTicks: ticks,
    minorFaults: ticks,
    majorFaults: 0,
    voluntaryCtxt: ticks * 2,
    involuntaryCtxt: ticks,
    threads: 3,
    children: 2,
    rssKiB: 56_944,
    rssShmemKiB: 44_212,
    rssAnonKiB: 748,
    rssFileKiB: 11_984,
    physmemKiB: 44_100,
    ...(net ? { net } : {}),
  };
}

export function fixtureStore(opts: { samples?: number; extraUmids?: string[] } = {}): {
  store: Store;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const store = new Store(clock, { intervalMs: 1000 });
  const inst = (umid: string, pid: number): DiscoveredInstance => ({
    key: `/root/.uml/${umid}`,
    umid,
    umlDir: '/root/.uml',
    dir: `/root/.uml/${umid}`,
    socket: `/root/.uml/${umid}/mconsole`,
    pid,
    starttime: 100,
    dirState: 'ok',
    reason: 'running',
  });
  const live = [
    inst('web-1', 1001),
    inst('build-2', 1002),
    ...(opts.extraUmids ?? []).map((u, i) => inst(u, 2000 + i)),
  ];
  store.apply({
    op: 'discovery',
    found: [
      ...live,
      {
        ...inst('crashed', 1003),
        dirState: 'dead',
        reason: 'pid 1003 is gone (crashed, panicked or killed); directory left behind',
      },
      { ...inst('junk', 0), pid: undefined, dirState: 'invalid', reason: 'pid file holds "xyz", not a pid' },
    ],
  });
  store.apply({
    op: 'hostTotals',
    totals: {
      at: clock.now(),
      cpuPercent: 42,
      cpus: 2,
      memTotalKiB: 24_684_092,
      memAvailableKiB: 23_000_000,
      load: [1.5, 1.2, 0.9],
    },
  });
  for (let k = 0; k < (opts.samples ?? 30); k++) {
    for (const [i, d] of live.entries()) {
      store.apply({
        op: 'sample',
        key: d.key,
        sample: {
          host: hostFrom(clock.now(), d.pid!, k * (i === 1 ? 95 : 2), i === 1 ? tapFrom(k) : undefined),
          guest: guestFrom(i === 1 ? 'busy' : 'idle', clock.now(), k, d.umid),
          ...(i === 1 ? { backing: BACKING } : {}),
        },
      });
    }
    clock.advance(1000);
  }
  clock.advance(-800); // samples are 200 ms old when drawn
  return { store, clock };
}
