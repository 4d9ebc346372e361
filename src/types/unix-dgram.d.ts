declare module 'unix-dgram' {
  import { EventEmitter } from 'node:events';
  export interface UnixDgramSocket extends EventEmitter {
    fd: number;
    bind(path: string): void;
    connect(path: string): void;
    send(
      buf: Buffer,
      offset: number,
      length: number,
      path: string,
      callback?: (err?: Error & { code?: number | string }) => void,
    ): void;
    close(): void;
    on(event: 'message', listener: (msg: Buffer, rinfo: { size: number; path?: string }) => void): this;
    on(event: 'error', listener: (err: Error & { code?: number }) => void): this;
    on(event: 'writable' | 'listening' | 'congestion', listener: (...args: unknown[]) => void): this;
  }
  export function createSocket(
    type: 'unix_dgram',
    listener?: (msg: Buffer, rinfo: { size: number; path?: string }) => void,
  ): UnixDgramSocket;
  const _default: { createSocket: typeof createSocket };
  export default _default;
}
