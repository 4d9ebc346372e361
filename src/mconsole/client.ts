// mconsole client for one instance: one request in flight (replies carry no id), a FIFO queue,
// a deadline on every request counted from when it was asked, multi-packet replies reassembled.
// After a timeout the socket is replaced, so late packets of an abandoned reply can never be
// mistaken for the answer to the next request.
import { BadPacketError, decodeReply, encodeRequest, ReplyAssembler, type Reply } from './codec.js';
import { McClosedError, McErrReplyError, McGoneError, McIncompleteReplyError, McTimeoutError } from './errors.js';
import { DgramEndpoint, TransportError } from './transport.js';
import { runtimeDir, type RuntimeDir } from './runtime-dir.js';

export const DEFAULT_TIMEOUT_MS = 2000;

export interface RequestOptions {
  timeoutMs?: number;
  /** Resolve with the Reply even when the guest answers ERR (default: reject with McErrReplyError). */
  allowErr?: boolean;
}

export interface RequestRecord {
  command: string;
  startedAt: number;
  durationMs: number;
  outcome: 'ok' | 'err-reply' | 'timeout' | 'incomplete' | 'gone' | 'bad-packet' | 'closed';
}

export interface ClientOptions {
  timeoutMs?: number;
  runtime?: RuntimeDir;
  /** Short tag used in the client socket's file name. */
  label?: string;
  /** Called after every request settles (metrics, logs). */
  onRequest?: (record: RequestRecord) => void;
  now?: () => number;
}

interface Job {
  command: string;
  packet: Buffer;
  timeoutMs: number;
  allowErr: boolean;
  askedAt: number;
  timer: NodeJS.Timeout;
  sent: boolean;
  assembler: ReplyAssembler;
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

export class MconsoleClient {
  private queue: Job[] = [];
  private current: Job | undefined;
  private endpoint: DgramEndpoint | undefined;
  private closed = false;
  private readonly runtime: RuntimeDir;
  private readonly now: () => number;
  /** Datagrams that arrived while no request was waiting (dropped). */
  strayPackets = 0;

  constructor(readonly socketPath: string, private readonly options: ClientOptions = {}) {
    this.runtime = options.runtime ?? runtimeDir();
    this.now = options.now ?? (() => performance.now());
  }

  get pending(): number { return this.queue.length + (this.current ? 1 : 0); }

  request(command: string, opts: RequestOptions = {}): Promise<Reply> {
    let packet: Buffer;
    try {
      packet = encodeRequest(command); // too large → rejected before anything is sent
    } catch (e) {
      return Promise.reject(e);
    }
    return this.requestPacket(packet, command, opts);
  }

  /** Send an already encoded packet (for protocol tests: e.g. a wrong-magic request). */
  requestPacket(packet: Buffer, command: string, opts: RequestOptions = {}): Promise<Reply> {
    if (this.closed) return Promise.reject(new McClosedError(command));
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<Reply>((resolve, reject) => {
      const job: Job = {
        command, packet, timeoutMs, allowErr: opts.allowErr ?? false, askedAt: this.now(), sent: false,
        assembler: new ReplyAssembler(), resolve, reject,
        timer: setTimeout(() => this.expire(job), timeoutMs),
      };
      this.queue.push(job);
      this.pump();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const jobs = [...(this.current ? [this.current] : []), ...this.queue];
    this.current = undefined;
    this.queue = [];
    for (const job of jobs) this.finish(job, new McClosedError(job.command), 'closed');
    this.endpoint?.close();
    this.endpoint = undefined;
  }

  private pump(): void {
    while (!this.current && this.queue.length > 0 && !this.closed) {
      const job = this.queue.shift()!;
      this.current = job;
      this.transmit(job);
    }
  }

  private transmit(job: Job): void {
    try {
      const ep = this.ensureEndpoint();
      const result = ep.send(job.packet, this.socketPath);
      if (result === 'congested') {
        // The guest's socket queue is full (a hung or stopped guest does not drain it): retry a
        // little later; the job's deadline still applies.
        setTimeout(() => { if (this.current === job && !job.sent && !this.closed) this.transmit(job); }, 50);
        return;
      }
      job.sent = true;
    } catch (e) {
      this.current = undefined;
      if (e instanceof TransportError && ['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EPROTOTYPE'].includes(e.code)) {
        this.finish(job, new McGoneError(this.socketPath, e.code), 'gone');
      } else if (e instanceof TransportError && e.code === 'EACCES') {
        this.finish(job, new McGoneError(this.socketPath, 'EACCES (no write permission on the socket)'), 'gone');
      } else {
        this.finish(job, e as Error, 'gone');
      }
      this.pump();
    }
  }

  private ensureEndpoint(): DgramEndpoint {
    if (!this.endpoint) {
      const path = this.runtime.socketPath(this.options.label ?? 'mc');
      this.endpoint = DgramEndpoint.bind(path, (packet) => this.onPacket(packet));
    }
    return this.endpoint;
  }

  private onPacket(packet: Buffer): void {
    const job = this.current;
    if (!job || !job.sent) { this.strayPackets += 1; return; }
    let decoded;
    try {
      decoded = decodeReply(packet);
    } catch (e) {
      this.abandon(job, e as BadPacketError, 'bad-packet');
      return;
    }
    const reply = job.assembler.push(decoded);
    if (!reply) return;
    this.current = undefined;
    if (!reply.ok && !job.allowErr) this.finish(job, new McErrReplyError(job.command, reply.err, reply.text), 'err-reply');
    else this.finish(job, reply, reply.ok ? 'ok' : 'err-reply');
    this.pump();
  }

  private expire(job: Job): void {
    if (this.current === job) {
      const a = job.assembler;
      const error = a.packets > 0
        ? new McIncompleteReplyError(job.command, job.timeoutMs, a.partialText(), a.packets, 0)
        : new McTimeoutError(job.command, job.timeoutMs, job.sent
            ? 'the guest did not answer (hung, stopped on the host, or its kernel is wedged)'
            : "the guest's socket queue stayed full");
      this.abandon(job, error, a.packets > 0 ? 'incomplete' : 'timeout');
      return;
    }
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.finish(job, new McTimeoutError(job.command, job.timeoutMs, 'still queued behind an earlier request to the same instance'), 'timeout');
    }
  }

  /** Give up on the in-flight job and replace the socket so its late packets go nowhere. */
  private abandon(job: Job, error: Error, outcome: RequestRecord['outcome']): void {
    this.current = undefined;
    this.endpoint?.close();
    this.endpoint = undefined;
    this.finish(job, error, outcome);
    this.pump();
  }

  private finish(job: Job, result: Reply | Error, outcome: RequestRecord['outcome']): void {
    clearTimeout(job.timer);
    this.options.onRequest?.({ command: job.command, startedAt: job.askedAt, durationMs: this.now() - job.askedAt, outcome });
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
  }
}
