// One remote host: `ssh HOST umltop --feed ...` streams that host's store inputs as JSON lines.
// The connection is watched (silence longer than three intervals, or ssh exiting, = lost) and
// re-made with backoff; nothing here ever throws at the caller or blocks the event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { decodeLine, type RecordLine } from '../recording/format.js';

export interface RemoteFeedOptions {
  host: string;
  /** The ssh command as words (`ssh`, or `ssh -F cfg`). */
  ssh: string[];
  /** The remote command's words: umltop and the flags it should run with. */
  remoteCommand: string[];
  intervalMs: number;
  onLine(line: RecordLine): void;
  onState(state: 'connecting' | 'up' | 'lost', reason: string): void;
  /** Injected for tests; defaults to child_process.spawn. */
  spawnFn?: typeof spawn;
}

/** Longest feed line accepted (a discovery of hundreds of instances fits easily). */
const MAX_LINE = 8 * 1024 * 1024;
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

export class RemoteFeed {
  private child: ChildProcess | undefined;
  private stopped = false;
  private buf = '';
  private lastLineAt = 0;
  private state: 'connecting' | 'up' | 'lost' = 'connecting';
  private failures = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stderrTail = '';
  /** Lines that were not JSON or not feed lines (counted, never fatal). */
  badLines = 0;

  constructor(private readonly o: RemoteFeedOptions) {}

  start(): void {
    this.connect();
    this.watchdog = setInterval(() => this.checkSilence(), Math.max(250, this.o.intervalMs / 2));
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    this.child?.kill('SIGTERM');
  }

  private setState(s: 'connecting' | 'up' | 'lost', reason: string): void {
    if (s === this.state) return;
    this.state = s;
    this.o.onState(s, reason);
  }

  private connect(): void {
    if (this.stopped) return;
    const [cmd, ...sshArgs] = this.o.ssh;
    // BatchMode: never prompt for a password on the terminal umltop is drawing on.
    const args = [
      ...sshArgs,
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=2',
      '--',
      this.o.host,
      ...this.o.remoteCommand.map(shellQuote),
    ];
    this.buf = '';
    this.stderrTail = '';
    this.lastLineAt = performance.now();
    let child: ChildProcess;
    try {
      child = (this.o.spawnFn ?? spawn)(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      this.lost(`cannot run ${cmd}: ${(e as Error).message}`);
      return;
    }
    this.child = child;
    child.on('error', (e) => this.lost(`cannot run ${cmd}: ${e.message}`));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => this.data(d));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-400);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      const why = this.stderrTail.trim().split('\n').filter(Boolean).at(-1) ?? '';
      this.lost(`ssh exited ${signal ?? code}${why ? `: ${why}` : ''}`);
    });
  }

  private data(d: string): void {
    this.buf += d;
    if (this.buf.length > MAX_LINE && !this.buf.includes('\n')) {
      this.badLines++;
      this.buf = '';
      return;
    }
    for (let nl = this.buf.indexOf('\n'); nl !== -1; nl = this.buf.indexOf('\n')) {
      const text = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (!text.trim()) continue;
      let line: RecordLine;
      try {
        line = decodeLine(text);
      } catch {
        this.badLines++;
        continue;
      }
      this.lastLineAt = performance.now();
      this.failures = 0;
      if (this.state !== 'up') this.setState('up', 'streaming');
      try {
        this.o.onLine(line);
      } catch {
        this.badLines++;
      }
    }
  }

  private checkSilence(): void {
    if (this.state !== 'up' || !this.child) return;
    const silent = performance.now() - this.lastLineAt;
    if (silent > 3 * this.o.intervalMs + 1000) {
      // Hung link or a stopped remote: drop this connection and make a new one.
      const child = this.child;
      this.child = undefined;
      child.kill('SIGKILL');
      this.lost(`no data for ${(silent / 1000).toFixed(1)} s`);
    }
  }

  private lost(reason: string): void {
    if (this.stopped) return;
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.setState('lost', reason);
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
    this.failures++;
    clearTimeout(this.retry);
    // While it retries the host stays "lost": its instances are still not being watched.
    this.retry = setTimeout(() => this.connect(), wait);
  }
}

/** ssh joins the remote words into one shell command line: quote each. */
export function shellQuote(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
