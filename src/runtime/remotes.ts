// Wiring for `--host`: one RemoteFeed per host, its lines and connection state into the store.
import { RemoteFeed } from '../collectors/remote.js';
import type { Store } from '../state/store.js';
import { applyRemoteLine } from './remote-apply.js';

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
      this.o.store.setRemote(host, { state: 'connecting', reason: 'connecting over ssh' });
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
          applyRemoteLine(this.o.store, host, line);
        },
        onState: (state, reason) => this.o.store.setRemote(host, { state, reason }),
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
