// Wiring for `--host`: one RemoteFeed per host, its lines and connection state into the store.
import type { GlobalOptions } from '../config/options.js';
import { onExit } from '../runtime/exit-hooks.js';
import type { Store } from '../state/store.js';
import { remoteInput } from './apply.js';
import { RemoteFeed } from './feed.js';

export interface RemotesOptions {
  store: Store;
  hosts: string[];
  ssh: string[];
  remoteUmltop: string;
  intervalMs: number;
}

export class Remotes {
  private feeds: RemoteFeed[] = [];

  constructor(private readonly o: RemotesOptions) {}

  start(): void {
    for (const host of this.o.hosts) {
      this.o.store.apply({ op: 'remote', name: host, patch: { state: 'connecting', reason: 'connecting over ssh' } });
      const feed = new RemoteFeed({
        host,
        ssh: this.o.ssh,
        intervalMs: this.o.intervalMs,
        remoteCommand: [
          ...this.o.remoteUmltop.split(/\s+/).filter(Boolean),
          '--feed',
          '--interval',
          String(this.o.intervalMs / 1000),
        ],
        onLine: (line) => {
          const input = remoteInput(host, line);
          if (input) this.o.store.apply(input);
        },
        onState: (state, reason) => this.o.store.apply({ op: 'remote', name: host, patch: { state, reason } }),
      });
      this.feeds.push(feed);
      feed.start();
    }
  }

  stop(): void {
    for (const f of this.feeds) f.stop();
    this.feeds = [];
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
