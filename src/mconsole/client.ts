// mconsole client for one instance: one request in flight per lane (replies carry no id, so a
// lane is a socket of its own: the guest answers each request to the socket that sent it), a FIFO
// queue, a deadline on every request counted from when it was asked, multi-packet replies
// reassembled. After a timeout the lane's socket is replaced, so late packets of an abandoned
// reply can never be mistaken for the answer to the next request.
// One socket cannot carry a pipelined burst: the guest queues the requests that arrive in one
// interrupt last-in first-out (mconsole_kern.c), so the answers would come back in reverse.
import { type BadPacketError, decodeReply, encodeRequest, ReplyAssembler, type Reply } from './codec.js';
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
  /**
   * Requests in flight at once, each on its own socket (default 1: strictly one after another).
   * A burst sent together wakes the guest once: only the first send pays for waking an idle
   * guest, and the guest takes one interrupt.
   */
  lanes?: number;
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

interface Lane {
  index: number;
  current?: Job;
  endpoint?: DgramEndpoint;
}

export class MconsoleClient {
  private queue: Job[] = [];
  private readonly lanes: Lane[];
  private closed = false;
  /** closeWhenIdle() was called: no new requests; closes when the last one in flight settles. */
  private draining = false;
  private readonly runtime: RuntimeDir;
  private readonly now: () => number;
  /** Datagrams that arrived while no request was waiting (dropped). */
  strayPackets = 0;

  constructor(
    readonly socketPath: string,
    private readonly options: ClientOptions = {},
  ) {
    this.runtime = options.runtime ?? runtimeDir();
    this.now = options.now ?? (() => performance.now());
    const n = Math.max(1, Math.floor(options.lanes ?? 1));
    this.lanes = Array.from({ length: n }, (_, index) => ({ index }));
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Requests sent (or being sent) and not yet answered: at most one per lane. */
  get inFlight(): number {
    return this.lanes.filter((l) => l.current).length;
  }

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
    if (this.closed || this.draining) return Promise.reject(new McClosedError(command));
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<Reply>((resolve, reject) => {
      const job: Job = {
        command,
        packet,
        timeoutMs,
        allowErr: opts.allowErr ?? false,
        askedAt: this.now(),
        sent: false,
        assembler: new ReplyAssembler(),
        resolve,
        reject,
        timer: setTimeout(() => this.expire(job), timeoutMs),
      };
      this.queue.push(job);
      this.pump();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const jobs = [...this.lanes.flatMap((l) => (l.current ? [l.current] : [])), ...this.queue];
    this.queue = [];
    for (const lane of this.lanes) {
      lane.current = undefined;
      lane.endpoint?.close();
      lane.endpoint = undefined;
    }
    for (const job of jobs) this.finish(job, new McClosedError(job.command), 'closed');
  }

  /**
   * Close once the requests in flight have settled (answered, or at their deadlines); those not
   * yet sent are refused now. For an instance that went away while a command was in flight: a
   * `reboot` is answered just before the guest removes its umid dir, and closing at once on the
   * directory's removal lost that answer when the watcher's event came first.
   */
  closeWhenIdle(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    const queued = this.queue;
    this.queue = [];
    for (const job of queued) this.finish(job, new McClosedError(job.command), 'closed');
    this.pump();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private pump(): void {
    if (this.draining) {
      if (this.inFlight === 0) this.close();
      return;
    }
    while (this.queue.length > 0 && !this.closed) {
      const lane = this.lanes.find((l) => !l.current);
      if (!lane) return;
      const job = this.queue.shift()!;
      lane.current = job;
      this.transmit(lane, job);
    }
  }

  private transmit(lane: Lane, job: Job): void {
    try {
      const ep = this.ensureEndpoint(lane);
      const result = ep.send(job.packet, this.socketPath);
      if (result === 'congested') {
        // The guest's socket queue is full (a hung or stopped guest does not drain it): retry a
        // little later; the job's deadline still applies.
        setTimeout(() => {
          if (lane.current === job && !job.sent && !this.closed) this.transmit(lane, job);
        }, 50);
        return;
      }
      job.sent = true;
    } catch (e) {
      lane.current = undefined;
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

  private ensureEndpoint(lane: Lane): DgramEndpoint {
    if (!lane.endpoint) {
      const label = this.options.label ?? 'mc';
      const peer = this.runtime.replyUid(this.socketPath); // another user's kernel: see RuntimeDir
      const path = this.runtime.socketPath(lane.index === 0 ? label : `${label}.${lane.index}`, peer);
      const ep = DgramEndpoint.bind(path, (packet) => this.onPacket(lane, packet));
      try {
        if (peer !== undefined) this.runtime.giveTo(path, peer);
      } catch (e) {
        ep.close();
        throw new McGoneError(this.socketPath, (e as Error).message);
      }
      lane.endpoint = ep;
    }
    return lane.endpoint;
  }

  private onPacket(lane: Lane, packet: Buffer): void {
    const job = lane.current;
    if (!job?.sent) {
      this.strayPackets += 1;
      return;
    }
    let decoded;
    try {
      decoded = decodeReply(packet);
    } catch (e) {
      this.abandon(lane, job, e as BadPacketError, 'bad-packet');
      return;
    }
    const reply = job.assembler.push(decoded);
    if (!reply) return;
    lane.current = undefined;
    if (!reply.ok && !job.allowErr)
      this.finish(job, new McErrReplyError(job.command, reply.err, reply.text), 'err-reply');
    else this.finish(job, reply, reply.ok ? 'ok' : 'err-reply');
    this.pump();
  }

  private expire(job: Job): void {
    const lane = this.lanes.find((l) => l.current === job);
    if (lane) {
      const a = job.assembler;
      const error =
        a.packets > 0
          ? new McIncompleteReplyError(job.command, job.timeoutMs, a.partialText(), a.packets, 0)
          : new McTimeoutError(
              job.command,
              job.timeoutMs,
              job.sent
                ? 'the guest did not answer (hung, stopped on the host, or its kernel is wedged)'
                : "the guest's socket queue stayed full",
            );
      this.abandon(lane, job, error, a.packets > 0 ? 'incomplete' : 'timeout');
      return;
    }
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.finish(
        job,
        new McTimeoutError(job.command, job.timeoutMs, 'still queued behind an earlier request to the same instance'),
        'timeout',
      );
    }
  }

  /** Give up on the lane's job and replace the lane's socket so its late packets go nowhere. */
  private abandon(lane: Lane, job: Job, error: Error, outcome: RequestRecord['outcome']): void {
    lane.current = undefined;
    lane.endpoint?.close();
    lane.endpoint = undefined;
    this.finish(job, error, outcome);
    this.pump();
  }

  private finish(job: Job, result: Reply | Error, outcome: RequestRecord['outcome']): void {
    clearTimeout(job.timer);
    this.options.onRequest?.({
      command: job.command,
      startedAt: job.askedAt,
      durationMs: this.now() - job.askedAt,
      outcome,
    });
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
  }
}
