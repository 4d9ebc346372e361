// Batch output: `--once` (one document from two samples an interval apart, so every rate is
// real), `--batch [-n N]` (one document or CSV rows per tick). Same collectors as the TUI.
import { followFleetSize } from '../runtime/v8-heap.js';
import { Poller } from '../collectors/poller.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { type BatchIo, csvHeader, csvRows, type Snapshot, snapshot, textTable } from '../state/snapshot.js';
import { Ledger } from '../state/ledger.js';
import { Store } from '../state/store.js';
import { listenForNotifications } from './notify-wiring.js';
import { startRecording } from '../recording/recorder.js';
import { bundleOnIncidents } from '../actions/incident-bundles.js';
import { startRemotes } from '../remote/remotes.js';
import type { GlobalOptions } from '../config/options.js';

/** What the feed and the batch loop share: the run's store, poller and output. */
interface Run {
  opts: GlobalOptions;
  io: BatchIo;
  clock: Clock;
  store: Store;
  poller: Poller;
  /** The reader went away (head, closed pipe, ssh gone): stop quietly. */
  closed(): boolean;
}

export async function batchCommand(opts: GlobalOptions, io: BatchIo, clock: Clock = systemClock): Promise<number> {
  const store = new Store(clock, { intervalMs: opts.intervalMs, thresholds: opts.thresholds });
  const poller = new Poller({
    sink: store,
    clock,
    umlDirs: opts.umlDirs,
    processTable: opts.processTable,
    io: opts.io,
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
  followFleetSize(store);
  const stopBundles = opts.once || opts.feed ? () => {} : bundleOnIncidents(store);
  let closed = false;
  io.stdout.on('error', () => {
    closed = true;
  });
  const run: Run = { opts, io, clock, store, poller, closed: () => closed };
  try {
    return await (opts.feed ? feed(run) : batch(run));
  } finally {
    poller.stop();
    notify.listener?.close();
    stopBundles();
  }
}

/** --feed: the store's inputs, as they happen, and a tick per interval (the far end's heartbeat). */
async function feed(r: Run): Promise<number> {
  const rec = startRecording(
    r.store,
    (text) => {
      if (!r.closed()) r.io.stdout.write(text);
    },
    r.clock,
    { mode: 'feed', umlDirs: r.opts.umlDirs },
  );
  try {
    r.poller.start();
    for (let k = 1; !r.closed() && (r.opts.iterations === undefined || k <= r.opts.iterations); k++) {
      await sleep(r.opts.intervalMs);
      if (!r.closed()) rec.tick();
    }
    return 0;
  } finally {
    rec.close();
  }
}

/** --once (one document from two samples) or --batch (one per interval): JSON, CSV or text. */
async function batch(r: Run): Promise<number> {
  const { opts, io, store } = r;
  const remotes = startRemotes(opts, store);
  const recorder = opts.record
    ? startRecording(store, opts.record, r.clock, { mode: opts.once ? 'once' : 'batch' })
    : undefined;
  const at = () => recorder?.tick();
  const emit = (s: Snapshot, first: boolean) => {
    if (r.closed()) return;
    if (opts.format === 'json') io.stdout.write(`${JSON.stringify(s)}\n`);
    else if (opts.format === 'csv') io.stdout.write((first ? csvHeader() : '') + csvRows(s));
    else io.stdout.write(`${textTable(s)}\n`);
  };
  try {
    if (opts.once) {
      await r.poller.tick();
      await sleep(opts.intervalMs);
      await r.poller.tick();
      const s = snapshot(store, { at: at() });
      if (opts.format === 'json') io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else emit(s, true);
      return 0;
    }
    r.poller.start();
    const t0 = r.clock.now();
    let lastSeq = 0;
    for (let k = 1; opts.iterations === undefined || k <= opts.iterations; k++) {
      // Print a quarter interval after the samplers' beat, so each row's sample is fresh.
      const due = t0 + k * opts.intervalMs + Math.min(opts.intervalMs / 4, 250);
      await sleep(Math.max(0, due - r.clock.now()));
      if (r.closed()) break;
      const s = snapshot(store, { eventsSince: lastSeq, at: at() });
      lastSeq = store.lastEventSeq;
      emit(s, k === 1);
    }
    return 0;
  } finally {
    remotes?.stop();
    recorder?.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
