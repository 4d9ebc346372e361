// From a sample to what the store shows: the host view's rates, the guest view, the history
// rings, the running totals and the liveness verdict. Pure apart from updating the record given.
import type { DiscoveredInstance } from '../collectors/discovery.js';
import type { RequestStats } from '../collectors/guest-sample.js';
import type { HostCounters } from '../collectors/host-source.js';
import { guestView } from './guest-view.js';
import { diskViews, netViews, total } from './io-view.js';
import type { InstanceSample } from './input.js';
import { decideLiveness, type InstanceState, type Verdict } from './liveness.js';
import { perSecond, round, ticksToPercent, USER_HZ } from './rates.js';
import { type HostView, type InstanceRecord, type InstanceTotals, LATENCY_BUCKETS } from './records.js';
import { RingBuffer } from './ring-buffer.js';

/** A record for an instance just found, with empty history of `historySamples` each. */
export function newRecord(
  f: DiscoveredInstance,
  state: InstanceState,
  reason: string,
  wall: number,
  historySamples: number,
): InstanceRecord {
  const n = historySamples;
  return {
    changes: 0,
    key: f.key,
    umid: f.umid,
    umlDir: f.umlDir,
    ...(f.hostName ? { hostName: f.hostName } : {}),
    socket: f.socket,
    pid: f.pid,
    starttime: f.starttime,
    ...(f.found ? { found: f.found } : {}),
    ...(f.netns ? { netns: f.netns } : {}),
    ...(f.note ? { note: f.note } : {}),
    ...(f.noSocket ? { noSocket: true } : {}),
    state,
    reason,
    stateSince: wall,
    firstSeenWall: wall,
    unpluggedKiB: 0,
    leftoverPids: f.leftoverPids,
    alerts: new Map(),
    diskStalls: new Map(),
    totals: {
      hostCpuSeconds: 0,
      requests: { count: 0, sumSeconds: 0, buckets: LATENCY_BUCKETS.map(() => 0) },
      failures: {},
    },
    history: {
      hostCpu: new RingBuffer(n),
      guestCpu: new RingBuffer(n),
      memAvailableKiB: new RingBuffer(n),
      irqPerSec: new RingBuffer(n),
      softirqPerSec: new RingBuffer(n),
      diskBytesPerSec: new RingBuffer(n),
      netBytesPerSec: new RingBuffer(n),
      lines: new Map(),
    },
  };
}

/**
 * Fold one sample into its record: views, totals and history (all but the guest CPU ring, which
 * waits for the verdict). Returns the liveness verdict for the store to set.
 */
/**
 * `beats`: the intervals this sample stands for (more than one after a quiet instance was not
 * asked): each history ring gets its values that many times, so the charts keep their time axis.
 */
export function deriveSample(rec: InstanceRecord, s: InstanceSample, historySamples: number, beats = 1): Verdict {
  if (s.unpluggedKiB !== undefined) rec.unpluggedKiB = s.unpluggedKiB;
  if (s.host) {
    const p = rec.prevHost;
    const same = p && p.pid === s.host.pid && p.starttime === s.host.starttime;
    if (same) rec.totals.hostCpuSeconds += Math.max(0, s.host.cpuTicks - p.cpuTicks) / USER_HZ;
    rec.host = hostView(s.host, rec.prevHost, rec.host);
    rec.network = netViews(s.host.net, same ? p.net : undefined, same ? s.host.at - p.at : 0);
    rec.networkBytesPerSec = total(
      rec.network,
      (n) => n.rxBytesPerSec,
      (n) => n.txBytesPerSec,
    );
    rec.prevHost = s.host;
  }
  rec.history.hostCpu.push(s.host ? rec.host?.cpuPercent : undefined, beats);
  let frozenMs: number | undefined;
  if (s.guest?.counters.requests) addRequests(rec.totals, s.guest.counters.requests);
  const answered = s.guest?.reach.kind === 'answered';
  if (s.guest && answered) {
    const g = s.guest.counters;
    const prev = rec.prevGuest;
    const before = rec.guest;
    rec.guest = guestView(g, prev, before);
    rec.guest.disks = diskViews(g, prev, before?.disks, rec.diskStalls, s.backing);
    rec.guest.diskBytesPerSec = total(
      rec.guest.disks,
      (d) => d.readBytesPerSec,
      (d) => d.writeBytesPerSec,
    );
    // Did the guest's idle time move since the previous stat? (see liveness.ts)
    const cur = g.stat?.value.cpu;
    const old = prev?.stat?.value.cpu;
    if (cur && old && prev?.stat) {
      const moved = cur.idle !== old.idle || cur.iowait !== old.iowait;
      if (moved) rec.frozenSince = undefined;
      else rec.frozenSince ??= prev.stat.at;
      if (rec.frozenSince !== undefined) frozenMs = g.stat!.at - rec.frozenSince;
    }
    rec.prevGuest = g;
  }
  rec.history.memAvailableKiB.push(answered ? rec.guest?.meminfo.MemAvailable : undefined, beats);
  rec.history.irqPerSec.push(answered ? rec.guest?.irqPerSec : undefined, beats);
  rec.history.softirqPerSec.push(answered ? rec.guest?.softirqPerSec : undefined, beats);
  if (rec.guest && answered) {
    for (const i of rec.guest.interrupts) lineHistory(rec, `irq:${i.irq}`, historySamples).push(i.perSec, beats);
    for (const si of rec.guest.softirqs) lineHistory(rec, `softirq:${si.name}`, historySamples).push(si.perSec, beats);
    for (const d of rec.guest.disks)
      lineHistory(rec, `disk:${d.device}`, historySamples).push(
        busyBytes(d.readBytesPerSec, d.writeBytesPerSec),
        beats,
      );
  }
  rec.history.diskBytesPerSec.push(answered ? rec.guest?.diskBytesPerSec : undefined, beats);
  if (s.host) {
    for (const n of rec.network ?? []) {
      lineHistory(rec, `net:${n.tap}`, historySamples).push(busyBytes(n.rxBytesPerSec, n.txBytesPerSec), beats);
      lineHistory(rec, `neterr:${n.tap}`, historySamples).push(busyBytes(n.errorsPerSec, n.dropsPerSec), beats);
    }
  }
  rec.history.netBytesPerSec.push(s.host ? rec.networkBytesPerSec : undefined, beats);
  if (rec.panic && s.hostGone) return { state: 'dead', reason: `kernel panic: ${rec.panic}` };
  return decideLiveness({
    hostGone: s.hostGone,
    hostProcState: s.host?.state,
    hostSyscall: s.host?.syscall,
    hostWchan: s.host?.wchan,
    hostCpuPercent: rec.host?.cpuPercent,
    reach: s.guest?.reach,
    guestIdleFrozenMs: frozenMs,
  });
}

/** The rest of a sample once the verdict is set: a paused guest's CPU is no work of its own. */
export function finishSample(rec: InstanceRecord, s: InstanceSample, beats = 1): void {
  if (rec.state === 'stopped' && rec.guest) {
    // Its jiffies are bookkeeping of our own requests, not guest work.
    rec.guest.cpuPercent = undefined;
    rec.guest.cpu = undefined;
  }
  rec.history.guestCpu.push(s.guest?.reach.kind === 'answered' ? rec.guest?.cpuPercent : undefined, beats);
}

/** Two rates summed; unknown when either is. */
function busyBytes(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

function lineHistory(rec: InstanceRecord, key: string, historySamples: number): RingBuffer {
  let r = rec.history.lines.get(key);
  if (!r) {
    r = new RingBuffer(historySamples, 'bfloat16'); // a sparkline's and a storm median's: 3 digits do
    rec.history.lines.set(key, r);
  }
  return r;
}

function addRequests(t: InstanceTotals, r: RequestStats): void {
  for (const ms of r.latenciesMs) {
    const sec = ms / 1000;
    t.requests.count += 1;
    t.requests.sumSeconds += sec;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (sec <= LATENCY_BUCKETS[i]!) t.requests.buckets[i]! += 1;
  }
  for (const [kind, n] of Object.entries(r.failures)) t.failures[kind] = (t.failures[kind] ?? 0) + n;
}

/** `before`: the last view, whose status and io rates stay while those were not read again. */
export function hostView(c: HostCounters, p: HostCounters | undefined, before?: HostView): HostView {
  const dt = p ? c.at - p.at : 0;
  const same = p && p.pid === c.pid && p.starttime === c.starttime;
  // another process (pid reused): no rates (none over no time)
  const rdt = same ? dt : 0;
  // counters read with the main thread's status: rates over their own times, or (not read again) kept
  const statusDt = p ? (c.statusAt ?? c.at) - (p.statusAt ?? p.at) : 0;
  const sdt = same ? statusDt : 0;
  const b = same && statusDt === 0 ? before : undefined;
  return {
    procState: c.state,
    cpuPercent: same ? round(ticksToPercent(c.cpuTicks, p.cpuTicks, dt)) : undefined,
    rssKiB: c.rssKiB,
    rssShmemKiB: c.rssShmemKiB,
    rssAnonKiB: c.rssAnonKiB,
    rssFileKiB: c.rssFileKiB,
    physmemKiB: c.physmemKiB,
    threads: c.threads,
    children: c.children,
    ctxtVoluntaryPerSec: b ? b.ctxtVoluntaryPerSec : rate(c.voluntaryCtxt, p?.voluntaryCtxt, sdt),
    ctxtInvoluntaryPerSec: b ? b.ctxtInvoluntaryPerSec : rate(c.involuntaryCtxt, p?.involuntaryCtxt, sdt),
    minorFaultsPerSec: rate(c.minorFaults, p?.minorFaults, rdt),
    majorFaultsPerSec: rate(c.majorFaults, p?.majorFaults, rdt),
    ioReadBytesPerSec: b ? b.ioReadBytesPerSec : rate(c.io?.rchar, p?.io?.rchar, sdt),
    ioWriteBytesPerSec: b ? b.ioWriteBytesPerSec : rate(c.io?.wchar, p?.io?.wchar, sdt),
  };
}

/**
 * A rounded rate over `dt` ms, none over no time. A module function: per-call closures are
 * compiled again after each full GC (CONTRIBUTING.md).
 */
function rate(a: number | undefined, b: number | undefined, dt: number): number | undefined {
  return round(perSecond(a, b, dt));
}
