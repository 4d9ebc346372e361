// A line from a remote umltop's feed (`umltop --feed`: its store inputs in the flight recorder's
// format) as an input to this store: keys get the host's name in front, so the remote's
// instances sit beside the local ones without colliding; discovery is scoped to that host.
import type { RecordLine } from '../recording/format.js';
import type { StoreInput } from '../state/input.js';

/** The key of a remote instance: `host:` + the remote's own key (`/uml/dir/umid`). */
export const remoteKey = (host: string, key: string) => `${host}:${key}`;

/** The input this store takes for a remote's line; undefined for the remote's own business (and ticks). */
export function remoteInput(host: string, line: RecordLine): StoreInput | undefined {
  if (line.kind === 'meta') {
    const dirs = line.meta.umlDirs;
    return {
      op: 'remote',
      name: host,
      patch: { umlDirs: Array.isArray(dirs) ? dirs.filter((d) => typeof d === 'string') : undefined },
    };
  }
  if (line.kind === 'tick') return undefined; // a heartbeat: the feed itself notes it
  const input = line.input;
  switch (input.op) {
    case 'discovery':
      return {
        op: 'discovery',
        found: input.found.map((f) => ({ ...f, key: remoteKey(host, f.key), hostName: host })),
        dirs: (input.dirs ?? ['/']).map((d) => remoteKey(host, d)),
      };
    case 'sample':
      return { op: 'sample', key: remoteKey(host, input.key), sample: input.sample };
    case 'panic':
      return { op: 'panic', key: remoteKey(host, input.key), message: input.message };
    case 'event': {
      const e = input.event;
      return {
        op: 'event',
        event: { ...e, key: e.key ? remoteKey(host, e.key) : undefined, message: `[${host}] ${e.message}` },
      };
    }
    case 'hostTotals':
      return { op: 'remote', name: host, patch: { totals: input.totals } };
    case 'orphans':
    case 'paused':
    case 'interval':
    case 'remote':
      return undefined; // the remote's own business
  }
}
