// The store and the poller feeding it, as every command that watches instances sets them up.
import { Poller } from '../collectors/poller.js';
import type { GlobalOptions } from '../config/options.js';
import type { Clock } from '../runtime/clock.js';
import { Ledger } from '../state/ledger.js';
import { Store } from '../state/store.js';

export function storeAndPoller(
  opts: GlobalOptions,
  clock: Clock,
  o: { watch?: boolean; ledger?: boolean; vmstatEvery?: number } = {},
): { store: Store; poller: Poller } {
  const store = new Store(clock, {
    intervalMs: opts.intervalMs,
    thresholds: opts.thresholds,
    quietMaxAgeMs: opts.quietMaxAgeMs,
    balancePolicy: opts.balance,
  });
  const poller = new Poller({
    sink: store,
    clock,
    umlDirs: opts.umlDirs,
    processTable: opts.processTable,
    io: opts.io,
    intervalMs: opts.intervalMs,
    timeoutMs: opts.timeoutMs,
    quietMaxAgeMs: opts.quietMaxAgeMs,
    fullRate: opts.quietMaxAgeMs === 0,
    watch: o.watch,
    vmstatEvery: o.vmstatEvery,
    ...(o.ledger === false ? {} : { ledger: new Ledger() }),
  });
  return { store, poller };
}
