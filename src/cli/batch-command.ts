// Batch output: `--once` (one document from two samples an interval apart, so every rate is
// real), `--batch [-n N]` (one document or CSV rows per tick). Same collectors as the TUI.
import { Poller } from '../runtime/poller.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { csvHeader, csvRows, snapshot, type Snapshot } from '../state/snapshot.js';
import { Ledger } from '../state/ledger.js';
import { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import { listenForNotifications } from './notify-wiring.js';
import { startRecording } from '../runtime/recorder.js';
import { bundleOnIncidents } from '../runtime/incident-bundles.js';
import { Remotes } from '../runtime/remotes.js';
import { onExit } from '../runtime/exit-hooks.js';
import type { GlobalOptions } from './options.js';

export interface BatchIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export async function batchCommand(opts: GlobalOptions, io: BatchIo, clock: Clock = systemClock): Promise<number> {
  const store = new Store(clock, { intervalMs: opts.intervalMs, thresholds: opts.thresholds });
  const poller = new Poller({
    store,
    clock,
    umlDirs: opts.umlDirs,
    intervalMs: opts.intervalMs,
    timeoutMs: opts.timeoutMs,
    watch: !opts.once,
    ledger: new Ledger(),
  });
  let notify;
  try {
    notify = await listenForNotifications(opts.notifySocket, store, poller);
  } catch (e) {
    io.stderr.write(`umltop: ${(e as Error).message}\n`);
    return 2;
  }
  const stopBundles = opts.once || opts.feed ? () => {} : bundleOnIncidents(store);
  let closed = false;
  io.stdout.on('error', () => {
    closed = true;
  }); // reader went away (head, closed pipe, ssh gone): stop quietly
  if (opts.feed) {
    // The store's inputs, as they happen, and a tick per interval (the far end's heartbeat).
    const feed = startRecording(
      store,
      (text) => {
        if (!closed) io.stdout.write(text);
      },
      clock,
      { mode: 'feed', umlDirs: opts.umlDirs },
    );
    try {
      poller.start();
      for (let k = 1; !closed && (opts.iterations === undefined || k <= opts.iterations); k++) {
        await sleep(opts.intervalMs);
        if (!closed) feed.tick();
      }
      return 0;
    } finally {
      feed.close();
      poller.stop();
      notify.listener?.close();
    }
  }
  const remotes = startRemotes(opts, store);
  const recorder = opts.record
    ? startRecording(store, opts.record, clock, { mode: opts.once ? 'once' : 'batch' })
    : undefined;
  const at = () => recorder?.tick();
  const emit = (s: Snapshot, first: boolean) => {
    if (closed) return;
    if (opts.format === 'json') io.stdout.write(JSON.stringify(s) + '\n');
    else if (opts.format === 'csv') io.stdout.write((first ? csvHeader() : '') + csvRows(s));
    else io.stdout.write(textTable(s) + '\n');
  };
  try {
    if (opts.once) {
      await poller.tick();
      await sleep(opts.intervalMs);
      await poller.tick();
      const s = snapshot(store, { at: at() });
      if (opts.format === 'json') io.stdout.write(JSON.stringify(s, null, 2) + '\n');
      else emit(s, true);
      return 0;
    }
    poller.start();
    const t0 = clock.now();
    let lastSeq = 0;
    for (let k = 1; opts.iterations === undefined || k <= opts.iterations; k++) {
      // Print a quarter interval after the samplers' beat, so each row's sample is fresh.
      const due = t0 + k * opts.intervalMs + Math.min(opts.intervalMs / 4, 250);
      await sleep(Math.max(0, due - clock.now()));
      if (closed) break;
      const s = snapshot(store, { eventsSince: lastSeq, at: at() });
      lastSeq = store.lastEventSeq;
      emit(s, k === 1);
    }
    return 0;
  } finally {
    poller.stop();
    remotes?.stop();
    notify.listener?.close();
    stopBundles();
    recorder?.close();
  }
}

/** `--host`: feeds from other hosts into the same store (none in --feed mode: no fan-out loops). */
export function startRemotes(opts: GlobalOptions, store: Store): Remotes | undefined {
  if (!opts.hosts.length || opts.feed) return undefined;
  const remotes = new Remotes({
    store,
    hosts: opts.hosts,
    ssh: opts.ssh,
    remoteUmltop: opts.remoteUmltop,
    intervalMs: opts.intervalMs,
  });
  remotes.start();
  onExit(() => remotes.stop());
  return remotes;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Plain top -b style text. */
export function textTable(s: Snapshot): string {
  const h = s.host;
  const head = `umltop ${s.time}  interval ${s.intervalMs / 1000}s  host cpu ${h?.cpuPercent ?? '?'}%  mem avail ${h?.memAvailableKiB !== undefined ? Math.round(h.memAvailableKiB / 1024) + 'M' : '?'}  load ${h?.load.join(' ') ?? '?'}  instances ${s.instances.length}`;
  const cols = ['UMID', 'PID', 'STATE', 'HCPU%', 'GCPU%', 'MEMAVAIL', 'RSS', 'IRQ/s', 'AGE', 'REASON'];
  const rows = s.instances.map((i) => [
    sanitizeLine(i.umid).slice(0, 24),
    String(i.pid ?? '-'),
    i.state,
    fmt(i.host?.cpuPercent),
    fmt(i.guest?.cpuPercent),
    kib(i.guest?.meminfo.MemAvailable),
    kib(i.host?.rssKiB),
    fmt(i.guest?.irqPerSec),
    i.sampleAgeMs === null ? '-' : `${(i.sampleAgeMs / 1000).toFixed(1)}s`,
    sanitizeLine(i.reason),
  ]);
  const widths = cols.map((c, j) => Math.max(c.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((v, j) => (j === r.length - 1 ? v : v.padEnd(widths[j]!))).join('  ');
  const orphans = s.orphans.map((o) => `orphan pid ${o.pid} ${o.comm}: ${o.reason}`);
  return [head, line(cols), ...rows.map(line), ...orphans].join('\n') + '\n';
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
const kib = (n: number | undefined) => (n === undefined ? '-' : n >= 10240 ? `${Math.round(n / 1024)}M` : `${n}K`);

/** `umltop replay FILE --json|--csv|--batch`: the same documents the recorded run printed. */
export async function replayBatch(
  lines: import('../runtime/recorder.js').RecordLine[],
  format: GlobalOptions['format'],
  io: BatchIo,
): Promise<number> {
  const { ManualClock } = await import('../runtime/clock.js');
  const { applyLine, replayStoreOptions } = await import('../runtime/recorder.js');
  const clock = new ManualClock(lines[0]!.mono, lines[0]!.wall);
  const store = new Store(clock, replayStoreOptions(lines));
  let lastSeq = 0;
  let first = true;
  let closed = false;
  io.stdout.on('error', () => {
    closed = true;
  }); // the reader went away (| head): stop quietly
  for (const line of lines) {
    if (closed) break;
    if (line.op !== 'tick') {
      applyLine(store, clock, line);
      continue;
    }
    clock.set(line.mono, line.wall);
    const s = snapshot(store, { eventsSince: lastSeq, at: { mono: line.mono, wall: line.wall } });
    lastSeq = store.lastEventSeq;
    if (format === 'csv') io.stdout.write((first ? csvHeader() : '') + csvRows(s));
    else if (format === 'json') io.stdout.write(JSON.stringify(s) + '\n');
    else io.stdout.write(textTable(s) + '\n');
    first = false;
    await new Promise((r) => setImmediate(r)); // let a closed pipe be noticed
  }
  return 0;
}
