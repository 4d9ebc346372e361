// A line from a remote umltop's feed (`umltop --feed`: its store inputs as JSON lines, the flight
// recorder's format) applied to this store: keys get the host's name in front, so the remote's
// instances sit beside the local ones without colliding; discovery is scoped to that host.
import type { DiscoveredInstance } from '../collectors/discovery.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { Store, StoreEvent } from '../state/store.js';
import type { RecordLine } from './recorder.js';

/** The key of a remote instance: `host:` + the remote's own key (`/uml/dir/umid`). */
export const remoteKey = (host: string, key: string) => `${host}:${key}`;

/** Apply one feed line; returns false for a line this version does not understand (ignored). */
export function applyRemoteLine(store: Store, host: string, line: RecordLine): boolean {
  const a = line.args as unknown[];
  switch (line.op) {
    case 'meta': {
      const meta = (a[0] ?? {}) as { umlDirs?: string[] };
      store.setRemote(host, {
        umlDirs: Array.isArray(meta.umlDirs) ? meta.umlDirs.filter((d) => typeof d === 'string') : undefined,
      });
      return true;
    }
    case 'discovery': {
      const found = (a[0] as DiscoveredInstance[]).map((f) => ({
        ...f,
        key: remoteKey(host, f.key),
        hostName: host,
        pid: f.pid,
      }));
      const dirs = (a[1] as string[] | null | undefined) ?? ['/'];
      store.applyDiscovery(
        found,
        dirs.map((d) => remoteKey(host, d)),
      );
      return true;
    }
    case 'sample':
      store.applySample(remoteKey(host, a[0] as string), a[1] as never);
      return true;
    case 'panic':
      store.markPanic(remoteKey(host, a[0] as string), a[1] as string);
      return true;
    case 'event': {
      const e = a[0] as Omit<StoreEvent, 'seq' | 'wall'>;
      store.event({ ...e, key: e.key ? remoteKey(host, e.key) : undefined, message: `[${host}] ${e.message}` });
      return true;
    }
    case 'hostTotals':
      store.setRemote(host, { totals: a[0] as HostTotals });
      return true;
    case 'tick':
    case 'orphans':
    case 'paused':
    case 'interval':
      return true; // heartbeat / the remote's own business
    default:
      return false;
  }
}
