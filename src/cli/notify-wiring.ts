// Listen for notifications in the TUI and batch modes: --notify-socket PATH, or by default
// `notify` in umltop's private runtime dir. A default already held by another umltop is only a
// warning (this one runs without it); an explicit path in use is an error.
import path from 'node:path';
import { NotifySocketInUse, type NotifyListener } from '../collectors/notify.js';
import { runtimeDir } from '../mconsole/runtime-dir.js';
import { onExit } from '../runtime/exit-hooks.js';
import { startNotify } from '../collectors/notify-handler.js';
import type { Poller } from '../collectors/poller.js';
import type { Store } from '../state/store.js';

export interface NotifySetup {
  listener?: NotifyListener;
  path: string;
  note: string;
}

export async function listenForNotifications(
  explicit: string | undefined,
  store: Store,
  poller: Poller,
): Promise<NotifySetup> {
  const target = explicit ? path.resolve(explicit) : path.join(runtimeDir().path, 'notify');
  try {
    const listener = await startNotify({ path: target, store, poller });
    onExit(() => listener.close());
    return { listener, path: target, note: `notify socket: start instances with mconsole=notify:${target}` };
  } catch (e) {
    if (e instanceof NotifySocketInUse && !explicit) {
      store.apply({
        op: 'event',
        event: { type: 'notify', severity: 'warn', message: `${e.message}; running without notifications` },
      });
      return { path: target, note: `notify socket ${target} is held by another process: no notifications here` };
    }
    throw e;
  }
}
