// Write a crash bundle automatically when an instance turns unresponsive or panics, once per
// incident (per instance process), and say where in an event.
import { collectBundle } from './crash-bundle.js';
import type { StoreEvent } from '../state/records.js';
import type { Store } from '../state/store.js';

/** At most this many automatic bundles a minute, host-wide (BUNDLE_WINDOW_MS). */
export const BUNDLES_PER_WINDOW = 3;
export const BUNDLE_WINDOW_MS = 60_000;

/**
 * One bundle is collected at a time, and at most BUNDLES_PER_WINDOW a minute: when many
 * instances turn unresponsive together the host is the problem (seen: 30 guests, 4 of them busy,
 * on 2 cores), and a bundle each (a `sysrq t` and a process per step) only deepened it. Those
 * past the limit get one event each saying so, and a bundle can still be asked for with `B`.
 */
export function bundleOnIncidents(
  store: Store,
  opts: { dir?: string; env?: NodeJS.ProcessEnv; now?: () => number; collect?: typeof bundleAndSay } = {},
): () => void {
  const collect = opts.collect ?? bundleAndSay;
  const now = opts.now ?? (() => performance.now());
  const done = new Set<string>();
  const started: number[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let seen = store.lastEventSeq;
  return store.subscribe(() => {
    const fresh = store.eventsSince(seen);
    seen = store.lastEventSeq;
    for (const e of fresh) {
      const why = bundleTrigger(e);
      const rec = e.key ? store.records.get(e.key) : undefined;
      // Another host's instance: its own umltop (the --feed end) is the one that can collect there.
      if (!why || !rec || rec.hostName) continue;
      const id = `${rec.key}:${rec.pid}:${rec.starttime}`;
      if (done.has(id)) continue;
      done.add(id);
      const t = now();
      while (started.length && t - started[0]! > BUNDLE_WINDOW_MS) started.shift();
      if (started.length >= BUNDLES_PER_WINDOW) {
        store.apply({
          op: 'event',
          event: {
            type: 'action',
            key: rec.key,
            umid: rec.umid,
            severity: 'warn',
            message: `${rec.umid}: no crash bundle (${why}): ${started.length} written in the last minute, many instances at once points at the host (B writes one on demand)`,
          },
        });
        continue;
      }
      started.push(t);
      chain = chain.then(() => collect(store, rec.key, why, opts));
    }
  });
}

/** Why an event calls for a crash bundle, if it does. */
export function bundleTrigger(e: StoreEvent): string | undefined {
  // a kernel without its socket is booting, between boots or halting, not hung: nothing to capture
  if (e.type === 'state' && e.data?.to === 'unresponsive' && !e.data.noSocket)
    return 'the instance turned unresponsive';
  if (e.type === 'notify' && e.data?.kind === 'panic' && e.key) return 'kernel panic';
  return undefined;
}

export async function bundleAndSay(
  store: Store,
  key: string,
  why: string,
  opts: { dir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string | undefined> {
  const rec = store.records.get(key);
  if (!rec) return undefined;
  try {
    const b = await collectBundle({ rec, events: store.recentEvents(500), reason: why, dir: opts.dir, env: opts.env });
    const ok = b.files.filter((f) => f.ok).length;
    store.apply({
      op: 'event',
      event: {
        type: 'action',
        key,
        umid: rec.umid,
        severity: 'warn',
        message: `${rec.umid}: crash bundle (${why}) written to ${b.dir} (${ok} of ${b.files.length} files had data)`,
        data: { bundle: b.dir },
      },
    });
    return b.dir;
  } catch (e) {
    store.apply({
      op: 'event',
      event: {
        type: 'error',
        key,
        umid: rec.umid,
        severity: 'error',
        message: `${rec.umid}: crash bundle failed: ${(e as Error).message}`,
      },
    });
    return undefined;
  }
}
