// The store as Prometheus metrics: the same records the TUI and batch output read, rendered in the
// Prometheus text format (0.0.4) or OpenMetrics 1.0 when the scraper asks for it. Pure.
import { headroom } from '../state/advice.js';
import { PRESSURE_STATES, reclaimCounts } from '../state/pressure.js';
import { fleetAdvice } from '../state/snapshot.js';
import { sanitizeLine } from '../text/sanitize.js';
import { USER_HZ } from '../state/rates.js';
import { type InstanceRecord, LATENCY_BUCKETS } from '../state/records.js';
import type { Store } from '../state/store.js';
import type { InstanceState } from '../state/liveness.js';
import { ioMetrics } from './io-metrics.js';

export type MetricsFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Record<MetricsFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** Pick the format from an HTTP Accept header (Prometheus asks for OpenMetrics first). */
export function negotiate(accept: string | undefined): MetricsFormat {
  return accept && /application\/openmetrics-text/.test(accept) ? 'openmetrics' : 'prometheus';
}

type Labels = Record<string, string>;
export interface Sample {
  suffix?: string;
  labels: Labels;
  value: number;
}
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  unit?: string;
  samples: Sample[];
}

const STATES: InstanceState[] = ['running', 'stopped', 'unresponsive', 'dead', 'invalid'];
const FAILURE_KINDS = ['timeout', 'incomplete', 'gone', 'err-reply', 'closed', 'other'];
const GUEST_CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

export interface MetricsContext {
  /** uid → user name (for the `user` label); undefined = unknown. */
  userName(uid: number | undefined): string | undefined;
  version: string;
  /** The exporter's own counters, when serving: responses by status code, bcrypt checks run, 503s. */
  exporter?: () => { requests: Map<number, number>; passwordChecks?: number; busy?: number };
}

/** Render every instance of the store. */
export function renderMetrics(store: Store, ctx: MetricsContext, format: MetricsFormat): string {
  return render(metricFamilies(store, ctx), format);
}

/** The families a scrape renders (apart from the text, for the exposition benchmark). */
export function metricFamilies(store: Store, ctx: MetricsContext): Family[] {
  const fam = new Map<string, Family>();
  const add = (name: string, type: Family['type'], help: string, unit: string | undefined, s: Sample) => {
    let f = fam.get(name);
    if (!f) {
      f = { name, type, help, unit, samples: [] };
      fam.set(name, f);
    }
    f.samples.push(s);
  };
  add('umltop_build_info', 'gauge', 'umltop build information', undefined, {
    labels: { version: ctx.version },
    value: 1,
  });
  const now = store.clock.now();
  const counts = new Map<InstanceState, number>(STATES.map((s) => [s, 0]));
  for (const rec of store.records.values()) {
    counts.set(rec.state, (counts.get(rec.state) ?? 0) + 1);
    instanceMetrics(rec, store, now, ctx, add);
  }
  for (const [state, n] of counts)
    add('umltop_instances', 'gauge', 'Instances umltop sees, by state', undefined, { labels: { state }, value: n });
  memoryMetrics(store, ctx, now, add);
  const self = ctx.exporter?.();
  for (const [code, n] of self?.requests ?? [])
    add('umltop_exporter_responses', 'counter', 'HTTP responses of the exporter, by status code', undefined, {
      labels: { code: String(code) },
      value: n,
    });
  if (self?.passwordChecks !== undefined) {
    const help = 'bcrypt password checks run (a repeated wrong password is answered from a cache)';
    add('umltop_exporter_password_checks', 'counter', help, undefined, { labels: {}, value: self.passwordChecks });
    const busy = 'Requests answered 503 because too many password checks were waiting';
    add('umltop_exporter_busy', 'counter', busy, undefined, { labels: {}, value: self.busy ?? 0 });
  }
  return [...fam.values()];
}

/** The memory advice per guest and the host's headroom (config [balance]). */
function memoryMetrics(store: Store, ctx: MetricsContext, now: number, add: Add): void {
  const records = [...store.records.values()];
  for (const d of fleetAdvice(store, records, now).values()) {
    const rec = store.records.get(d.key)!;
    const labels = { umid: rec.umid, uml_dir: rec.umlDir, user: ctx.userName(rec.prevHost?.uid) ?? '' };
    const help = 'Memory advice: bytes to plug back (+) or unplug (−) now, 0 to hold (umltop balance would do it)';
    add('umltop_guest_memory_advice_bytes', 'gauge', help, 'bytes', { labels, value: d.kib * 1024 });
  }
  const h = headroom(store.hostTotals, records, store.balancePolicy);
  if (h.reserveKiB !== undefined)
    add('umltop_host_memory_reserve_bytes', 'gauge', 'Host MemAvailable the balancer keeps', 'bytes', {
      labels: {},
      value: h.reserveKiB * 1024,
    });
  add('umltop_guests_growable_bytes', 'gauge', 'What the guests could still grow by (unplugged by umltop)', 'bytes', {
    labels: {},
    value: h.growableKiB * 1024,
  });
}

type Add = (name: string, type: Family['type'], help: string, unit: string | undefined, s: Sample) => void;
type LabelsOf = (extra?: Labels) => Labels;

function instanceMetrics(rec: InstanceRecord, store: Store, now: number, ctx: MetricsContext, add: Add): void {
  const base: Labels = { umid: rec.umid, uml_dir: rec.umlDir, user: ctx.userName(rec.prevHost?.uid) ?? '' };
  const l = (extra: Labels = {}) => ({ ...base, ...extra });
  stateMetrics(rec, store, now, l, add);
  hostMetrics(rec, l, add);
  guestMetrics(rec, l, add);
  ioMetrics(rec, l, add);
  mconsoleMetrics(rec, l, add);
}

/** The instance's state, its guest kernel, its sample's age, its alerts, what the ledger unplugged. */
function stateMetrics(rec: InstanceRecord, store: Store, now: number, l: LabelsOf, add: Add): void {
  for (const s of STATES)
    add(
      'umltop_instance_state',
      'gauge',
      'Instance state (1 for the current one): running, stopped (mconsole stop), unresponsive, dead, invalid',
      undefined,
      { labels: l({ state: s }), value: rec.state === s ? 1 : 0 },
    );
  if (rec.guest?.version)
    add('umltop_instance_info', 'gauge', 'Guest kernel version (from mconsole version)', undefined, {
      labels: l({ kernel: rec.guest.version }),
      value: 1,
    });
  const age = store.sampleAgeMs(rec, now);
  if (age !== undefined)
    add('umltop_sample_age_seconds', 'gauge', 'Age of the newest sample of the instance', 'seconds', {
      labels: l(),
      value: age / 1000,
    });
  // when the figures were read (a quiet guest's are carried up to quiet_max_age): alert on the age,
  // or join on this
  if (rec.sampleWall !== undefined)
    add('umltop_sample_timestamp_seconds', 'gauge', 'When the newest sample of the instance was read', 'seconds', {
      labels: l(),
      value: rec.sampleWall / 1000,
    });
  for (const { alert } of rec.alerts.values())
    add('umltop_alert_active', 'gauge', 'Alerts that hold now (see umltop(1) for each id)', undefined, {
      labels: l({ alert: alert.id, severity: alert.severity }),
      value: 1,
    });
  add(
    'umltop_hotplug_unplugged_bytes',
    'gauge',
    "Guest memory umltop's ledger has unplugged (config mem=-N)",
    'bytes',
    { labels: l(), value: rec.unpluggedKiB * 1024 },
  );
}

/** Host side (/proc of the kernel process and its children). */
function hostMetrics(rec: InstanceRecord, l: LabelsOf, add: Add): void {
  if (rec.prevHost) {
    add(
      'umltop_host_cpu_seconds',
      'counter',
      'Host CPU time of the instance (kernel process, threads, live children) since umltop first saw it',
      'seconds',
      { labels: l(), value: rec.totals.hostCpuSeconds },
    );
  }
  if (rec.host) {
    add('umltop_host_rss_bytes', 'gauge', 'Host resident memory of the instance (VmRSS + children RssAnon)', 'bytes', {
      labels: l(),
      value: rec.host.rssKiB * 1024,
    });
    add('umltop_host_shmem_bytes', 'gauge', 'Host RssShmem of the kernel process (touched guest RAM)', 'bytes', {
      labels: l(),
      value: rec.host.rssShmemKiB * 1024,
    });
    if (rec.host.physmemKiB !== undefined)
      add('umltop_host_physmem_bytes', 'gauge', 'Blocks allocated to the guest-RAM file', 'bytes', {
        labels: l(),
        value: rec.host.physmemKiB * 1024,
      });
    add('umltop_host_threads', 'gauge', 'Threads of the kernel process', undefined, {
      labels: l(),
      value: rec.host.threads,
    });
  }
}

/** Guest side (mconsole proc files), from the newest counters. */
function guestMetrics(rec: InstanceRecord, l: LabelsOf, add: Add): void {
  const g = rec.prevGuest;
  const cpu = g?.stat?.value.cpu;
  if (cpu)
    for (const m of GUEST_CPU_MODES)
      add('umltop_guest_cpu_seconds', 'counter', 'Guest CPU time by mode (mconsole proc stat)', 'seconds', {
        labels: l({ mode: m }),
        value: cpu[m] / USER_HZ,
      });
  if (g?.stat?.value.btime !== undefined)
    add(
      'umltop_guest_boot_time_seconds',
      'gauge',
      'Guest boot time, seconds since the epoch (proc stat btime)',
      'seconds',
      { labels: l(), value: g.stat.value.btime },
    );
  for (const [field, kib] of Object.entries(g?.meminfo?.value ?? {})) {
    if (field.startsWith('HugePages_')) continue; // counts, not sizes
    add('umltop_guest_memory_bytes', 'gauge', 'Guest memory by /proc/meminfo field', 'bytes', {
      labels: l({ field }),
      value: kib * 1024,
    });
  }
  for (const i of g?.interrupts?.value ?? [])
    add(
      'umltop_guest_interrupts',
      'counter',
      "Guest interrupts by IRQ (mconsole proc interrupts; the mconsole line includes umltop's own requests)",
      undefined,
      { labels: l({ irq: i.irq, name: i.name }), value: i.count },
    );
  for (const s of g?.softirqs?.value ?? [])
    add('umltop_guest_softirqs', 'counter', 'Guest softirqs by type (mconsole proc softirqs)', undefined, {
      labels: l({ type: s.name }),
      value: s.count,
    });
  const vm = g?.vmstat?.value;
  if (vm?.oom_kill !== undefined)
    add(
      'umltop_guest_oom_kills',
      'counter',
      "Processes killed by the guest's OOM killer (proc vmstat oom_kill)",
      undefined,
      { labels: l(), value: vm.oom_kill },
    );
  pressureMetrics(rec, l, add);
  const la = g?.loadavg?.value;
  if (la) {
    add('umltop_guest_load1', 'gauge', 'Guest 1-minute load average', undefined, { labels: l(), value: la.load1 });
    add('umltop_guest_load5', 'gauge', 'Guest 5-minute load average', undefined, { labels: l(), value: la.load5 });
    add('umltop_guest_load15', 'gauge', 'Guest 15-minute load average', undefined, { labels: l(), value: la.load15 });
  }
}

/** The guest's memory pressure state and the reclaim counters behind it. */
function pressureMetrics(rec: InstanceRecord, l: LabelsOf, add: Add): void {
  const vm = rec.prevGuest?.vmstat?.value;
  if (vm) {
    // the counters behind the pressure state (their rates: rate() in PromQL)
    const c = reclaimCounts(vm);
    const counter = (name: string, help: string, value: number | undefined) =>
      value !== undefined && add(name, 'counter', help, undefined, { labels: l(), value });
    counter(
      'umltop_guest_reclaim_stalls',
      'Guest allocations that stalled in direct reclaim (vmstat allocstall_*)',
      c.stalls,
    );
    counter(
      'umltop_guest_direct_scan_pages',
      'Guest pages scanned by direct reclaim (vmstat pgscan_direct)',
      c.directScan,
    );
    counter(
      'umltop_guest_refaults',
      'Guest pages read back soon after eviction (vmstat workingset_refault_*)',
      c.refaults,
    );
    counter('umltop_guest_major_faults', 'Guest major page faults (vmstat pgmajfault)', vm.pgmajfault);
  }
  const p = rec.guest?.pressure;
  if (p)
    for (const state of PRESSURE_STATES)
      add('umltop_guest_memory_pressure', 'gauge', 'Guest memory pressure state (1 for the current one)', undefined, {
        labels: l({ state }),
        value: p.state === state ? 1 : 0,
      });
}

/** The mconsole channel itself. */
function mconsoleMetrics(rec: InstanceRecord, l: LabelsOf, add: Add): void {
  const r = rec.totals.requests;
  const h = 'umltop_mconsole_request_duration_seconds';
  for (const [i, le] of LATENCY_BUCKETS.entries()) {
    add(h, 'histogram', 'Round trip of answered mconsole requests', 'seconds', {
      suffix: '_bucket',
      labels: l({ le: String(le) }),
      value: r.buckets[i]!,
    });
  }
  add(h, 'histogram', '', 'seconds', { suffix: '_bucket', labels: l({ le: '+Inf' }), value: r.count });
  add(h, 'histogram', '', 'seconds', { suffix: '_sum', labels: l(), value: r.sumSeconds });
  add(h, 'histogram', '', 'seconds', { suffix: '_count', labels: l(), value: r.count });
  for (const kind of new Set([...FAILURE_KINDS, ...Object.keys(rec.totals.failures)])) {
    add(
      'umltop_mconsole_request_failures',
      'counter',
      'mconsole requests that failed, by kind: timeout, incomplete (packets lost), gone, err-reply (the guest said ERR), closed, other',
      undefined,
      { labels: l({ kind }), value: rec.totals.failures[kind] ?? 0 },
    );
  }
}

export function render(families: Family[], format: MetricsFormat): string {
  const out: string[] = [];
  for (const f of families) {
    const counter = f.type === 'counter';
    // Text 0.0.4 names the counter family with _total; OpenMetrics names it without.
    const typeName = counter && format === 'prometheus' ? `${f.name}_total` : f.name;
    out.push(`# HELP ${typeName} ${escapeHelp(f.help)}`, `# TYPE ${typeName} ${f.type}`);
    if (f.unit && format === 'openmetrics') out.push(`# UNIT ${typeName} ${f.unit}`);
    for (const s of f.samples) {
      const name = `${f.name}${counter ? '_total' : (s.suffix ?? '')}`;
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      out.push(`${name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
  if (format === 'openmetrics') out.push('# EOF');
  return `${out.join('\n')}\n`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

/**
 * Label values are guest-originated text (IRQ names, kernel version): control characters made
 * visible escapes first (so the value a scraper reads shows `\e[31m`, not an escape), then the
 * exposition format's own escaping.
 */
export function escapeLabel(v: string): string {
  return sanitizeLine(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
