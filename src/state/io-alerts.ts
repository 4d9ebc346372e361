// Alerts on disks and networks: a hung disk (I/Os in flight, none completing), the filesystem
// under a disk's files running out of space, an interface whose errors and drops keep rising.
import { fmtBytes } from '../text/units.js';
import type { Alert, InstanceRecord } from './records.js';

export interface IoThresholds {
  /** I/Os in flight with none completed for this long (ms) is a stall. */
  ioStallMs: number;
  /** The filesystem holding a disk's file with less than this % free. */
  diskFreePercent: number;
  /** This many errors and drops on one interface... */
  netErrors: number;
  /** ...within this long (ms). */
  netErrorsForMs: number;
}

export const DEFAULT_IO_THRESHOLDS: IoThresholds = {
  ioStallMs: 10_000,
  diskFreePercent: 5,
  netErrors: 10,
  netErrorsForMs: 30_000,
};

export function ioAlerts(r: InstanceRecord, intervalMs: number, t: IoThresholds): Alert[] {
  const out: Alert[] = [];
  for (const d of r.guest?.disks ?? []) {
    if (d.stalledMs !== undefined && d.stalledMs >= t.ioStallMs) {
      out.push({
        id: 'io-stall',
        severity: 'error',
        message: `disk ${d.device}: ${d.inFlight} I/O(s) in flight, none completed for ${Math.round(d.stalledMs / 1000)} s`,
      });
    }
    for (const f of d.files ?? []) {
      if (!f.fsSizeBytes || f.fsAvailBytes === undefined) continue;
      const pct = (f.fsAvailBytes / f.fsSizeBytes) * 100;
      if (pct < t.diskFreePercent)
        out.push({
          id: 'disk-space',
          severity: 'warn',
          message: `disk ${d.device}: the filesystem of ${f.path} has ${pct.toFixed(1)}% free (${fmtBytes(f.fsAvailBytes)} of ${fmtBytes(f.fsSizeBytes)})`,
        });
    }
  }
  const samples = Math.max(1, Math.ceil(t.netErrorsForMs / intervalMs));
  for (const n of r.network ?? []) {
    const rates = r.history.lines.get(`neterr:${n.tap}`)?.values(samples) ?? [];
    const count = rates.reduce((sum, v) => (Number.isFinite(v) ? sum + (v * intervalMs) / 1000 : sum), 0);
    if (count >= t.netErrors)
      out.push({
        id: 'net-errors',
        severity: 'warn',
        message: `${n.device ?? n.tap} (tap ${n.tap}): ${Math.round(count)} errors and drops in ${Math.round(t.netErrorsForMs / 1000)} s`,
      });
  }
  return out;
}
