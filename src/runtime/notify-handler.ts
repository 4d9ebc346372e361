// What umltop does with each notification: discover an announced instance at once, show user and
// hang notifications as events, and pin a panic on the instance whose process dies right after.
import path from 'node:path';
import { readProc, type ProcReader } from '../collectors/host-source.js';
import { NotifyListener, notifyCandidates } from '../collectors/notify.js';
import type { Notification } from '../mconsole/codec.js';
import type { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { Poller } from './poller.js';

export async function startNotify(o: { path: string; store: Store; poller: Poller; read?: ProcReader }): Promise<NotifyListener> {
  const read = o.read ?? readProc;
  const who = () => {
    const c = notifyCandidates(o.store.records.values(), o.path, read);
    return { c, name: c.length === 1 ? c[0]!.umid : c.length ? `one of ${c.map((x) => x.umid).join(', ')}` : 'an instance not in the watched dirs' };
  };
  const onNotify = (n: Notification) => {
    const text = sanitizeLine(n.text).trim();
    switch (n.type) {
      case 'socket': {
        const umlDir = path.dirname(path.dirname(text));
        const umid = path.basename(path.dirname(text));
        if (!o.poller.umlDirs.includes(umlDir)) o.poller.addUmlDir(umlDir);
        o.store.event({ type: 'notify', severity: 'info', umid, message: `${umid}: announced its mconsole at ${text}`, data: { kind: 'socket', path: text } });
        o.poller.discover([umlDir]);
        break;
      }
      case 'user': {
        const { c, name } = who();
        o.store.event({ type: 'notify', severity: 'info', key: c.length === 1 ? c[0]!.key : undefined, umid: c.length === 1 ? c[0]!.umid : undefined,
          message: `${name}: ${text}`, data: { kind: 'user', text } });
        break;
      }
      case 'hang': {
        const { c, name } = who();
        o.store.event({ type: 'notify', severity: 'error', umid: c.length === 1 ? c[0]!.umid : undefined,
          message: `${name}: hang reported by uml_watchdog (the guest stopped feeding /dev/watchdog)`, data: { kind: 'hang' } });
        break;
      }
      case 'panic': {
        const { c } = who();
        void pinPanic(o.store, o.poller, c, text || 'kernel panic');
        break;
      }
      default:
        o.store.event({ type: 'notify', severity: 'warn', message: `notification of unknown type ${n.typeCode}: ${text}`, data: { kind: 'unknown' } });
    }
  };
  return NotifyListener.open(o.path, onNotify, (message) => o.store.event({ type: 'notify', severity: 'warn', message: `bad notification packet: ${message}` }));
}

/** The panicking kernel exits right after notifying: whichever candidate dies within 3 s is it. */
async function pinPanic(store: Store, poller: Poller, candidates: Array<{ key: string; umid: string; pid: number }>, message: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const died = candidates.find((c) => { try { process.kill(c.pid, 0); return false; } catch { return true; } });
    if (died) {
      store.markPanic(died.key, message);
      store.event({ type: 'notify', severity: 'error', key: died.key, umid: died.umid, message: `${died.umid}: kernel panic: ${message}`, data: { kind: 'panic', text: message } });
      poller.discover();
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const names = candidates.map((c) => c.umid).join(', ');
  store.event({ type: 'notify', severity: 'error', message: `kernel panic in ${names ? `one of ${names}` : 'an instance not in the watched dirs'}: ${message}`, data: { kind: 'panic', text: message } });
}
