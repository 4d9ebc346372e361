// The notify socket: instances started with `mconsole=notify:PATH` send datagrams here — their
// mconsole path at boot (socket), a panic with the kernel's message, a hang (from uml_watchdog),
// and whatever guest processes write to /proc/mconsole (user).
//
// The datagrams come from an unbound socket: they carry no sender. umltop attributes them honestly:
// the candidates are the instances whose command line names this socket; a panic is pinned on the
// one whose process dies right after it.
import fs from 'node:fs';
import unixDgram from 'unix-dgram';
import { decodeNotify, type Notification } from '../mconsole/codec.js';
import { errnoName } from '../mconsole/transport.js';

export class NotifySocketInUse extends Error {
  constructor(readonly path: string) {
    super(
      `another process (another umltop?) already listens on ${path}; give this one its own with --notify-socket PATH`,
    );
    this.name = 'NotifySocketInUse';
  }
}

export class NotifyListener {
  private socket: ReturnType<typeof unixDgram.createSocket>;
  private closed = false;

  private constructor(
    readonly path: string,
    onNotify: (n: Notification) => void,
    onBad: (message: string) => void,
  ) {
    this.socket = unixDgram.createSocket('unix_dgram');
    this.socket.on('message', (msg: Buffer) => {
      if (msg.length === 0) return; // another umltop probing whether this path is in use
      try {
        onNotify(decodeNotify(msg));
      } catch (e) {
        onBad((e as Error).message);
      }
    });
  }

  /** Bind at `path`. A stale socket file (nobody listening) is replaced; a live one is an error. */
  static async open(
    path: string,
    onNotify: (n: Notification) => void,
    onBad: (message: string) => void = () => {},
  ): Promise<NotifyListener> {
    if (fs.existsSync(path)) {
      if (await someoneListens(path)) throw new NotifySocketInUse(path);
      fs.unlinkSync(path);
    }
    const l = new NotifyListener(path, onNotify, onBad);
    let error: unknown;
    l.socket.once('error', (e) => {
      error = e;
    });
    l.socket.bind(path);
    if (error) {
      l.socket.close();
      throw new Error(`cannot listen on ${path}: ${errnoName((error as { code?: number }).code)}`);
    }
    l.socket.on('error', () => {
      /* reported per datagram */
    });
    return l;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      /* closed */
    }
    try {
      fs.unlinkSync(this.path);
    } catch {
      /* gone */
    }
  }
}

/** Send an empty datagram: refused means a stale socket file, delivered means a live listener. */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = unixDgram.createSocket('unix_dgram');
    probe.on('error', () => {
      /* reported through send */
    });
    probe.send(Buffer.alloc(0), 0, 0, path, (err) => {
      try {
        probe.close();
      } catch {
        /* closed */
      }
      resolve(!err || errnoName(err.code) === 'EAGAIN');
    });
  });
}

/** The running instances whose kernel command line sends notifications to `socketPath`. */
export function notifyCandidates(
  records: Iterable<{ key: string; umid: string; pid?: number; state: string }>,
  socketPath: string,
  read: (p: string) => string | undefined,
): Array<{ key: string; umid: string; pid: number }> {
  const out: Array<{ key: string; umid: string; pid: number }> = [];
  for (const r of records) {
    if (!r.pid || r.state === 'dead' || r.state === 'invalid') continue;
    const args = (read(`/proc/${r.pid}/cmdline`) ?? '').split('\0');
    if (args.includes(`mconsole=notify:${socketPath}`)) out.push({ key: r.key, umid: r.umid, pid: r.pid });
  }
  return out;
}
