// What umltop does with each notification: discover an announced instance at once, show user and
// hang notifications as events, and pin a panic on the instance whose process dies right after.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readProc, type ProcReader } from './proc-files.js';
import { NotifyListener, notifyCandidates } from './notify.js';
import type { Notification } from '../mconsole/codec.js';
import { sanitizeLine } from '../text/sanitize.js';
import type { Poller } from './poller.js';
import type { InstanceLookup } from './sink.js';

interface NotifyOptions {
  path: string;
  store: InstanceLookup;
  poller: Poller;
  read?: ProcReader;
}

export async function startNotify(o: NotifyOptions): Promise<NotifyListener> {
  const h = new NotifyHandler(o);
  return NotifyListener.open(
    o.path,
    (n) => h.handle(n),
    (message) =>
      o.store.apply({
        op: 'event',
        event: { type: 'notify', severity: 'warn', message: `bad notification packet: ${message}` },
      }),
  );
}

type Sender = { key: string; umid: string; pid: number };

/**
 * Notes a guest may send (`echo ... > /proc/mconsole`): a burst of NOTE_BURST, then NOTE_RATE a
 * second. A guest writing notes as fast as it can would otherwise fill the event list (other
 * guests' events pushed out) and cost a process-table scan each; what is dropped is counted and
 * said, at most once every NOTE_REPORT_MS a sender.
 */
export const NOTE_RATE = 20;
export const NOTE_BURST = 50;
export const NOTE_REPORT_MS = 5000;
interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
  reportedAt: number;
}

class NotifyHandler {
  /**
   * Instances seen sending here while alive: a panicking kernel exits right after notifying, and
   * umltop may see it dead (its command line no longer readable) before the notification is handled.
   */
  private readonly known = new Map<string, Sender>();
  private readonly read: ProcReader;
  private readonly buckets = new Map<string, Bucket>();
  private lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: NotifyOptions) {
    this.read = o.read ?? readProc;
  }

  /** Whether a note from `who` is shown; a dropped one is counted and, now and then, said. */
  private admit(who: string, now: number): boolean {
    let b = this.buckets.get(who);
    if (!b) {
      if (this.buckets.size > 256) this.buckets.clear(); // senders come and go: bounded
      b = { tokens: NOTE_BURST, at: now, dropped: 0, reportedAt: now };
      this.buckets.set(who, b);
    }
    b.tokens = Math.min(NOTE_BURST, b.tokens + ((now - b.at) / 1000) * NOTE_RATE);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    else b.dropped++;
    // said at most every NOTE_REPORT_MS: a steady flood admits a note whenever a token refills,
    // and a report with each would be a flood of its own
    if (b.dropped && now - b.reportedAt >= NOTE_REPORT_MS) {
      this.event('warn', `${who}: ${b.dropped} note(s) dropped (more than ${NOTE_RATE} a second)`, {
        kind: 'notes-dropped',
        dropped: b.dropped,
      });
      b.dropped = 0;
      b.reportedAt = now;
    }
    return ok;
  }

  handle(n: Notification): void {
    const text = sanitizeLine(n.text).trim();
    switch (n.type) {
      case 'socket':
        this.socket(text);
        return;
      case 'user': {
        // a flood rescans the process table at most twice a second
        const now = this.o.store.clock.wallNow();
        const { c, name } = this.who(now - this.lastRefresh >= 500);
        if (!this.admit(name, now)) return;
        this.event('info', `${name}: ${text}`, { kind: 'user', text }, c.length === 1 ? c[0] : undefined);
        return;
      }
      case 'hang': {
        const { c, name } = this.who();
        const one = c.length === 1 ? { umid: c[0]!.umid } : undefined;
        this.event(
          'error',
          `${name}: hang reported by uml_watchdog (the guest stopped feeding /dev/watchdog)`,
          { kind: 'hang' },
          one,
        );
        return;
      }
      case 'panic': {
        this.refresh();
        // every sender still unattributed: one that is already dead is the one that panicked
        const c = [...this.known.values()].filter((x) => !this.o.store.records.get(x.key)?.panic);
        void pinPanic(this.o.store, this.o.poller, c, text || 'kernel panic').then((key) => {
          if (key) this.known.delete(key);
        });
        return;
      }
      default:
        this.event('warn', `notification of unknown type ${n.typeCode}: ${text}`, { kind: 'unknown' });
    }
  }

  /** An instance announced its mconsole socket: watch its dir and discover it at once. */
  private socket(text: string): void {
    const umlDir = path.dirname(path.dirname(text));
    const umid = path.basename(path.dirname(text));
    if (!this.o.poller.umlDirs.includes(umlDir)) this.o.poller.addUmlDir(umlDir);
    this.event('info', `${umid}: announced its mconsole at ${text}`, { kind: 'socket', path: text }, { umid });
    this.o.poller.discover([umlDir]);
    this.refresh(); // remember it as a sender while its command line can still be read
  }

  private event(
    severity: 'info' | 'warn' | 'error',
    message: string,
    data: Record<string, unknown>,
    who?: { key?: string; umid: string },
  ): void {
    this.o.store.apply({
      op: 'event',
      event: {
        type: 'notify',
        severity,
        ...(who?.key ? { key: who.key } : {}),
        ...(who ? { umid: who.umid } : {}),
        message,
        data,
      },
    });
  }

  private refresh(): void {
    for (const c of notifyCandidates(this.o.store.records.values(), this.o.path, this.read)) this.known.set(c.key, c);
    // gone or restarted
    for (const [key, c] of this.known) if (this.o.store.records.get(key)?.pid !== c.pid) this.known.delete(key);
  }

  /** The live senders to this socket, and how to name them in an event. */
  private who(fresh = true): { c: Sender[]; name: string } {
    if (fresh) {
      this.refresh();
      this.lastRefresh = this.o.store.clock.wallNow();
    }
    const c = [...this.known.values()].filter((x) => this.o.store.records.get(x.key)?.state !== 'dead');
    const name =
      c.length === 1
        ? c[0]!.umid
        : c.length
          ? `one of ${c.map((x) => x.umid).join(', ')}`
          : 'an instance not in the watched dirs';
    return { c, name };
  }
}

/**
 * The panicking kernel exits right after notifying: whichever candidate dies within 10 s is it.
 * A process that exited but was not reaped yet (a zombie) counts as dead.
 */
async function pinPanic(
  store: InstanceLookup,
  poller: Poller,
  candidates: Array<{ key: string; umid: string; pid: number }>,
  message: string,
): Promise<string | undefined> {
  const deadline = Date.now() + 10_000;
  const dead = async (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    try {
      return /^\S+ \(.*\) [ZX]/.test(await readFile(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return true;
    }
  };
  const pin = (died: (typeof candidates)[number]) => {
    store.apply({ op: 'panic', key: died.key, message });
    store.apply({
      op: 'event',
      event: {
        type: 'notify',
        severity: 'error',
        key: died.key,
        umid: died.umid,
        message: `${died.umid}: kernel panic: ${message}`,
        data: { kind: 'panic', text: message },
      },
    });
    poller.discover();
    return died.key;
  };
  // umltop may have seen it die before the notification was handled: the most recent death counts
  const recent = candidates
    .map((c) => ({ c, rec: store.records.get(c.key) }))
    .filter((x) => x.rec?.state === 'dead' && store.clock.wallNow() - x.rec.stateSince < 10_000)
    .sort((a, b) => b.rec!.stateSince - a.rec!.stateSince)[0];
  if (recent) return pin(recent.c);
  const alive = candidates.filter((c) => store.records.get(c.key)?.state !== 'dead');
  // Only one live instance could have sent it: say so now, without waiting for it to exit (a
  // panicked kernel may sit in its panic loop for a while).
  if (alive.length === 1) return pin(alive[0]!);
  // Several: the panic is shown at once, and pinned on whichever dies first.
  const names = candidates.map((c) => c.umid).join(', ');
  store.apply({
    op: 'event',
    event: {
      type: 'notify',
      severity: 'error',
      message: `kernel panic in ${names ? `one of ${names}` : 'an instance not in the watched dirs'}: ${message}`,
      data: { kind: 'panic', text: message, pending: alive.length > 1 },
    },
  });
  while (alive.length > 1 && Date.now() < deadline) {
    let died: (typeof candidates)[number] | undefined;
    for (const c of alive) if (!died && (await dead(c.pid))) died = c;
    if (died) return pin(died);
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
