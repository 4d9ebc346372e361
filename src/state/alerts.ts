// Alerts: rules over what the store already knows, with defaults the config file's [thresholds]
// override. Pure: a record and the time in, the alerts that hold now out.
import { DEFAULT_IO_THRESHOLDS, type IoThresholds, ioAlerts } from './io-alerts.js';
import type { Alert, EventInput, InstanceRecord } from './records.js';

export interface AlertThresholds extends IoThresholds {
  /** Host CPU % of the instance over this... */
  hostCpuPercent: number;
  /** ...for this long (ms). */
  hostCpuForMs: number;
  /** Guest MemAvailable under this % of MemTotal. */
  memAvailablePercent: number;
  /** An IRQ or softirq line over this rate, or over `stormFactor` × its own median (and over `stormFloor`). */
  stormPerSec: number;
  stormFactor: number;
  stormFloor: number;
  /** Paused (mconsole stop) longer than this (ms). */
  pausedForMs: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  hostCpuPercent: 90,
  hostCpuForMs: 30_000,
  memAvailablePercent: 10,
  stormPerSec: 5000,
  stormFactor: 10,
  stormFloor: 200,
  pausedForMs: 300_000,
  ...DEFAULT_IO_THRESHOLDS,
};

/** `history` may be a function: a line's history is copied out of its ring buffer only when the rate is over the floor. */
export function isStorm(
  perSec: number | undefined,
  history: number[] | (() => number[]),
  t: Pick<AlertThresholds, 'stormPerSec' | 'stormFactor' | 'stormFloor'> = DEFAULT_THRESHOLDS,
): boolean {
  if (perSec === undefined) return false;
  if (perSec > t.stormPerSec) return true;
  if (perSec <= t.stormFloor) return false; // under the floor whatever the baseline: skip the copy and the sort
  const past = (typeof history === 'function' ? history() : history)
    .slice(0, -1)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (past.length < 10) return false;
  const median = past[Math.floor(past.length / 2)]!;
  return perSec > t.stormFactor * Math.max(1, median);
}

/** A kernel without its socket for this long is worth an alert (a boot makes it in about a second). */
export const NO_SOCKET_ALERT_MS = 10_000;

/** The alerts that hold for a record now. `intervalMs` turns "for N ms" into a number of samples. */
export function evaluateAlerts(
  r: InstanceRecord,
  nowWall: number,
  intervalMs: number,
  t: AlertThresholds = DEFAULT_THRESHOLDS,
): Alert[] {
  const out: Alert[] = [];
  if (r.state === 'dead') out.push({ id: 'died', severity: 'error', message: r.reason });
  // without its socket the kernel is booting or between boots: an alert only if that lasts
  if (r.state === 'unresponsive' && (!r.noSocket || nowWall - r.stateSince > NO_SOCKET_ALERT_MS))
    out.push({ id: 'unresponsive', severity: 'error', message: r.reason });
  if (r.state === 'stopped' && nowWall - r.stateSince > t.pausedForMs) {
    out.push({
      id: 'paused-long',
      severity: 'warn',
      message: `paused for ${Math.round((nowWall - r.stateSince) / 60000)} min`,
    });
  }
  if (r.state !== 'running') return out;
  const samples = Math.max(1, Math.ceil(t.hostCpuForMs / intervalMs));
  // The newest value first: the window is copied out only when it could hold (evaluated every sample).
  const newest = r.history.hostCpu.last();
  const cpu = newest !== undefined && newest > t.hostCpuPercent ? r.history.hostCpu.values(samples) : [];
  if (cpu.length >= samples && cpu.every((v) => Number.isFinite(v) && v > t.hostCpuPercent)) {
    out.push({
      id: 'host-cpu',
      severity: 'warn',
      message: `host CPU over ${t.hostCpuPercent}% for ${Math.round(t.hostCpuForMs / 1000)} s (now ${cpu.at(-1)!.toFixed(0)}%)`,
    });
  }
  const m = r.guest?.meminfo;
  if (m?.MemAvailable !== undefined && m.MemTotal) {
    const pct = (m.MemAvailable / m.MemTotal) * 100;
    if (pct < t.memAvailablePercent)
      out.push({
        id: 'low-memory',
        severity: 'warn',
        message: `guest MemAvailable ${pct.toFixed(1)}% (under ${t.memAvailablePercent}%)`,
      });
  }
  // pressed: allocations wait in direct reclaim or the working set does not fit (pressure.ts)
  if (r.guest?.pressure?.state === 'pressed')
    out.push({ id: 'mem-pressure', severity: 'warn', message: `memory pressed: ${r.guest.pressure.reason}` });
  if ((r.guest?.vmstat.oomKillsNew ?? 0) > 0)
    out.push({
      id: 'oom-kill',
      severity: 'error',
      message: `the guest's OOM killer killed ${r.guest!.vmstat.oomKillsNew} process(es)`,
    });
  for (const i of r.guest?.interrupts ?? []) {
    const own = i.self?.perSec ?? 0;
    const foreign = i.perSec === undefined ? undefined : Math.max(0, i.perSec - own);
    if (isStorm(foreign, () => r.history.lines.get(`irq:${i.irq}`)?.values() ?? [], t))
      out.push({
        id: 'irq-storm',
        severity: 'warn',
        message: `interrupt storm on IRQ ${i.irq} ${i.name}: ${foreign!.toFixed(0)}/s`,
      });
  }
  for (const s of r.guest?.softirqs ?? []) {
    if (
      isStorm(s.perSec, () => r.history.lines.get(`softirq:${s.name}`)?.values() ?? [], {
        ...t,
        stormPerSec: t.stormPerSec * 4,
        stormFloor: t.stormFloor * 2.5,
      })
    ) {
      out.push({ id: 'irq-storm', severity: 'warn', message: `softirq storm on ${s.name}: ${s.perSec!.toFixed(0)}/s` });
    }
  }
  out.push(...ioAlerts(r, intervalMs, t));
  return out.filter((a, i, all) => all.findIndex((b) => b.id === a.id) === i);
}

/** Keep the record's alerts in line with those that hold now: the events that raise and clear them (type 'alert', data.alert = id). */
export function foldAlerts(rec: InstanceRecord, holding: Alert[], now: number): EventInput[] {
  const out: EventInput[] = [];
  for (const a of holding) {
    const held = rec.alerts.get(a.id);
    if (held) {
      held.alert = a;
      continue;
    }
    rec.alerts.set(a.id, { since: now, alert: a });
    out.push({
      type: 'alert',
      key: rec.key,
      umid: rec.umid,
      severity: a.severity,
      message: `${rec.umid}: ALERT ${a.id}: ${a.message}`,
      data: { alert: a.id, raised: true },
    });
  }
  for (const [id, v] of rec.alerts) {
    if (holding.some((a) => a.id === id)) continue;
    rec.alerts.delete(id);
    out.push({
      type: 'alert',
      key: rec.key,
      umid: rec.umid,
      severity: 'info',
      message: `${rec.umid}: cleared ${id} (held ${Math.round((now - v.since) / 1000)} s)`,
      data: { alert: id, raised: false },
    });
  }
  return out;
}
