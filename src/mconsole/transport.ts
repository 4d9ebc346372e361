// One bound AF_UNIX datagram endpoint (Node's dgram has no AF_UNIX; unix-dgram is a small addon).
import fs from 'node:fs';
import os from 'node:os';
import unixDgram, { type UnixDgramSocket } from 'unix-dgram';

export type SendResult = 'sent' | 'congested';

export class TransportError extends Error {
  constructor(
    readonly code: string,
    readonly syscall: string,
    readonly target: string,
  ) {
    super(`${syscall} ${target}: ${code}`);
    this.name = 'TransportError';
  }
}

const ERRNO_NAMES = new Map<number, string>(Object.entries(os.constants.errno).map(([name, num]) => [num, name]));

export function errnoName(code: unknown): string {
  if (typeof code === 'number') return ERRNO_NAMES.get(Math.abs(code)) ?? `errno ${code}`;
  return String(code);
}

export class DgramEndpoint {
  private socket: UnixDgramSocket;
  private closed = false;

  private constructor(
    readonly path: string,
    onPacket: (packet: Buffer, from: string | undefined) => void,
  ) {
    this.socket = unixDgram.createSocket('unix_dgram');
    this.socket.on('message', (msg, rinfo) => onPacket(msg, rinfo.path));
  }

  /** Create and bind an endpoint at `path` (which must not exist). */
  static bind(path: string, onPacket: (packet: Buffer, from: string | undefined) => void): DgramEndpoint {
    const ep = new DgramEndpoint(path, onPacket);
    let bindError: unknown;
    ep.socket.once('error', (e) => {
      bindError = e;
    });
    ep.socket.bind(path);
    if (bindError) {
      ep.socket.close();
      throw new TransportError(errnoName((bindError as { code?: number }).code), 'bind', path);
    }
    ep.socket.on('error', () => {
      /* send errors are reported through send()'s return */
    });
    return ep;
  }

  /** Send one datagram. 'congested' means the peer's queue is full (try again shortly). */
  send(packet: Buffer, dest: string): SendResult {
    if (this.closed) throw new TransportError('EBADF', 'sendto', dest);
    let result: SendResult = 'sent';
    let failure: TransportError | undefined;
    this.socket.send(packet, 0, packet.length, dest, (err) => {
      if (!err) return;
      // Unconnected sendto reports a full peer queue as -EAGAIN (only connected sends say "congestion").
      if (
        err.code === 1 ||
        err.message === 'congestion' ||
        errnoName(err.code) === 'EAGAIN' ||
        errnoName(err.code) === 'EWOULDBLOCK'
      )
        result = 'congested';
      else failure = new TransportError(errnoName(err.code), 'sendto', dest);
    });
    if (failure) throw failure;
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      /* already closed */
    }
    try {
      fs.unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
