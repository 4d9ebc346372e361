// Typed failures of an mconsole request. Every request ends in a Reply or one of these.
export { BadPacketError, RequestTooLargeError } from './codec.js';

export class McTimeoutError extends Error {
  readonly kind = 'timeout' as const;
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    readonly detail: string,
  ) {
    super(`no reply to '${command}' within ${fmtSeconds(timeoutMs)}: ${detail}`);
    this.name = 'McTimeoutError';
  }
}

/** The deadline passed after some packets arrived but before the final one. */
export class McIncompleteReplyError extends Error {
  readonly kind = 'incomplete' as const;
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    readonly partialText: string,
    readonly packets: number,
    readonly err: number,
  ) {
    super(
      `reply to '${command}' is incomplete: ${packets} packet(s), ${Buffer.byteLength(partialText)} bytes received, ` +
        `no final packet within ${fmtSeconds(timeoutMs)} (the guest drops packets when the client's queue is full)`,
    );
    this.name = 'McIncompleteReplyError';
  }
}

/** Nothing listens at the socket: the instance is gone (ENOENT) or dead with a stale socket (ECONNREFUSED). */
export class McGoneError extends Error {
  readonly kind = 'gone' as const;
  constructor(
    readonly socketPath: string,
    readonly code: string,
  ) {
    super(
      code === 'ENOENT'
        ? `instance gone: no socket at ${socketPath}`
        : code === 'ECONNREFUSED'
          ? `instance gone: ${socketPath} refuses connections (stale socket of a dead instance)`
          : `cannot reach ${socketPath}: ${code}`,
    );
    this.name = 'McGoneError';
  }
}

/** The guest answered ERR. */
export class McErrReplyError extends Error {
  readonly kind = 'err-reply' as const;
  constructor(
    readonly command: string,
    readonly err: number,
    readonly text: string,
  ) {
    super(`'${command}' failed: ${text || `error ${err}`}`);
    this.name = 'McErrReplyError';
  }
}

/** The client was closed while the request waited. */
export class McClosedError extends Error {
  readonly kind = 'closed' as const;
  constructor(readonly command: string) {
    super(`client closed before '${command}' was answered`);
    this.name = 'McClosedError';
  }
}

export type McError =
  | McTimeoutError
  | McIncompleteReplyError
  | McGoneError
  | McErrReplyError
  | McClosedError
  | import('./codec.js').BadPacketError
  | import('./codec.js').RequestTooLargeError;

export function isMcError(e: unknown): e is McError {
  return e instanceof Error && typeof (e as { kind?: unknown }).kind === 'string';
}

export function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}
