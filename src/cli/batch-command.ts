// Batch output: `--once` (one document from two samples an interval apart, so every rate is
// real), `--batch [-n N]` (one document or CSV rows per tick). Same collectors as the TUI.
import { followFleetSize } from '../runtime/v8-heap.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { type BatchIo, csvHeader, csvRows, snapshot, textTable } from '../state/snapshot.js';
import { SnapshotJson } from '../state/snapshot-json.js';
import type { Store } from '../state/store.js';
import { listenForNotifications } from './notify-wiring.js';
import { startRecording } from '../recording/recorder.js';
import { bundleOnIncidents } from '../actions/incident-bundles.js';
import { startRemotes } from '../remote/remotes.js';
import type { GlobalOptions } from '../config/options.js';
import { storeAndPoller } from './collection.js';

/** What the feed and the batch loop share: the run's store, poller and output. */
interface Run {
  opts: GlobalOptions;
  io: BatchIo;
  clock: Clock;
  store: Store;
  poller: ReturnType<typeof storeAndPoller>['poller'];
  /** The reader went away (head, closed pipe, ssh gone): stop quietly. */
  closed(): boolean;
}

export async function batchCommand(opts: GlobalOptions, io: BatchIo, clock: Clock = systemClock): Promise<number> {
  // --once: vmstat in both samples, so the pressure rates are there (a batch asks it every 5th)
  const { store, poller } = storeAndPoller(opts, clock, { watch: !opts.once, vmstatEvery: opts.once ? 1 : undefined });
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
  const json = new SnapshotJson();
  const emit = (o: { eventsSince?: number; at?: { mono: number; wall: number } }, first: boolean) => {
    if (r.closed()) return;
    if (opts.format === 'json') {
      io.stdout.write(json.write(store, o));
      return;
    }
    const s = snapshot(store, o);
    io.stdout.write(opts.format === 'csv' ? (first ? csvHeader() : '') + csvRows(s) : `${textTable(s)}\n`);
  };
  try {
    if (opts.once) {
      await r.poller.tick();
      await sleep(opts.intervalMs);
      await r.poller.tick();
      if (opts.format === 'json') io.stdout.write(`${JSON.stringify(snapshot(store, { at: at() }), null, 2)}\n`);
      else emit({ at: at() }, true);
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
      const o = { eventsSince: lastSeq, at: at() };
      lastSeq = store.lastEventSeq;
      emit(o, k === 1);
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
