// Disk and network rates from two samples' counters, each over its own timestamps: per ubd device
// from the guest's /proc/diskstats (with the host files behind it), per interface from the host
// side of the guest's tap, turned round to the guest's view. Pure apart from the stall map given.
import type { FileFacts } from '../collectors/backing-files.js';
import type { GuestCounters, UbdFiles } from '../collectors/guest-sample.js';
import type { TapCounters } from '../collectors/host-net.js';
import { type DiskLine, SECTOR_BYTES, shownDisks } from '../collectors/proc/diskstats.js';
import { perSecond, round } from './rates.js';
import type { DiskFile, DiskView, NetView } from './records.js';

/**
 * The disks of a sample; `before` when this sample did not read diskstats again (its rates stay).
 * `stalls` keeps, per device, since when I/Os have been in flight with none completing.
 */
export function diskViews(
  g: GuestCounters,
  p: GuestCounters | undefined,
  before: DiskView[] | undefined,
  stalls: Map<string, number>,
  backing: Record<string, FileFacts> | undefined,
): DiskView[] {
  const cur = g.diskstats;
  if (!cur) return [];
  const prev = p?.diskstats;
  if (before && prev && prev.at === cur.at) return before.map((d) => ({ ...d, ...filesOf(d.device, g.ubd, backing) }));
  const dt = prev ? cur.at - prev.at : 0;
  const old = new Map(prev?.value.map((d) => [d.name, d]));
  const out: DiskView[] = [];
  for (const d of shownDisks(cur.value)) {
    const o = old.get(d.name);
    const rate = (a: number, b: number | undefined) => round(perSecond(a, b, dt));
    const ios = o ? d.reads + d.writes - (o.reads + o.writes) : undefined;
    const waited = o ? d.msReading + d.msWriting - (o.msReading + o.msWriting) : undefined;
    const stalled = o !== undefined && d.inFlight > 0 && ios === 0;
    if (stalled) stalls.set(d.name, stalls.get(d.name) ?? prev!.at);
    else stalls.delete(d.name);
    out.push({
      device: d.name,
      readsPerSec: rate(d.reads, o?.reads),
      writesPerSec: rate(d.writes, o?.writes),
      readBytesPerSec: rate(d.sectorsRead * SECTOR_BYTES, o && o.sectorsRead * SECTOR_BYTES),
      writeBytesPerSec: rate(d.sectorsWritten * SECTOR_BYTES, o && o.sectorsWritten * SECTOR_BYTES),
      avgIoMs:
        ios === undefined || waited === undefined || ios < 0 || waited < 0
          ? undefined
          : round(ios > 0 ? waited / ios : 0, 2),
      utilPercent:
        o && dt > 0 && d.ioTicksMs >= o.ioTicksMs
          ? round(Math.min(100, ((d.ioTicksMs - o.ioTicksMs) / dt) * 100))
          : undefined,
      inFlight: d.inFlight,
      ...totals(d),
      ...(stalled ? { stalledMs: Math.round(cur.at - stalls.get(d.name)!) } : {}),
      ...filesOf(d.name, g.ubd, backing),
    });
  }
  for (const name of [...stalls.keys()]) if (!out.some((d) => d.device === name)) stalls.delete(name);
  return out.sort((a, b) => busy(b) - busy(a) || (a.device < b.device ? -1 : 1));
}

const busy = (d: DiskView) => (d.readBytesPerSec ?? 0) + (d.writeBytesPerSec ?? 0);

function totals(d: DiskLine) {
  return {
    reads: d.reads,
    writes: d.writes,
    readBytes: d.sectorsRead * SECTOR_BYTES,
    writtenBytes: d.sectorsWritten * SECTOR_BYTES,
    readTimeMs: d.msReading,
    writeTimeMs: d.msWriting,
    ioTimeMs: d.ioTicksMs,
  };
}

function filesOf(
  device: string,
  ubd: Record<string, UbdFiles> | undefined,
  backing: Record<string, FileFacts> | undefined,
): { files?: DiskFile[]; filesError?: string } {
  const f = ubd?.[device];
  if (!f) return {};
  if ('error' in f) return { filesError: f.error };
  const one = (path: string, role: DiskFile['role']): DiskFile => ({ path, role, ...(backing?.[path] ?? {}) });
  return { files: f.backing ? [one(f.file, 'cow'), one(f.backing, 'backing')] : [one(f.file, 'image')] };
}

/** Both directions summed, rates over `dt` (ms); the guest's view: its rx is the tap's tx. */
export function netViews(
  cur: TapCounters[] | undefined,
  prev: TapCounters[] | undefined,
  dt: number,
): NetView[] | undefined {
  if (!cur) return undefined;
  const old = new Map(prev?.map((t) => [t.tap, t.counters]));
  return cur
    .map((t): NetView => {
      const c = t.counters;
      const o = old.get(t.tap);
      const rate = (a: number, b: number | undefined) => round(perSecond(a, b, dt));
      const sum = (a: number, b: number, x?: number, y?: number) =>
        x === undefined || y === undefined ? undefined : rate(a + b, x + y);
      return {
        ...(t.guestInterface ? { device: t.guestInterface } : {}),
        tap: t.tap,
        rxBytesPerSec: rate(c.txBytes, o?.txBytes),
        txBytesPerSec: rate(c.rxBytes, o?.rxBytes),
        rxPacketsPerSec: rate(c.txPackets, o?.txPackets),
        txPacketsPerSec: rate(c.rxPackets, o?.rxPackets),
        errorsPerSec: sum(c.rxErrors, c.txErrors, o?.rxErrors, o?.txErrors),
        dropsPerSec: sum(c.rxDropped, c.txDropped, o?.rxDropped, o?.txDropped),
        rxBytes: c.txBytes,
        txBytes: c.rxBytes,
        rxPackets: c.txPackets,
        txPackets: c.rxPackets,
        rxErrors: c.txErrors,
        txErrors: c.rxErrors,
        rxDropped: c.txDropped,
        txDropped: c.rxDropped,
      };
    })
    .sort(
      (a, b) =>
        (b.rxBytesPerSec ?? 0) + (b.txBytesPerSec ?? 0) - ((a.rxBytesPerSec ?? 0) + (a.txBytesPerSec ?? 0)) ||
        (a.tap < b.tap ? -1 : 1),
    );
}

/** The sum of a field over views, undefined when none is known. */
export function total<T>(xs: T[] | undefined, ...fields: Array<(x: T) => number | undefined>): number | undefined {
  let n: number | undefined;
  for (const x of xs ?? [])
    for (const f of fields) {
      const v = f(x);
      if (v !== undefined) n = (n ?? 0) + v;
    }
  return n === undefined ? undefined : round(n);
}
