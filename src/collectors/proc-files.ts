// Reading /proc: one reader type for every collector, a plain one and one through descriptors
// kept open between samples (a pread is cheaper than open+read+close: README, Performance). An
// open /proc/PID file stays bound to that process: once it exits, reads fail (ESRCH) even if the
// pid is reused, and the file is dropped.
import fs from 'node:fs';

/** A /proc file's text, or undefined when it cannot be read. */
export type ProcReader = (path: string) => string | undefined;

export const readProc: ProcReader = (path) => {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

let buf = Buffer.allocUnsafe(8192);

export class ProcFiles {
  private readonly fds = new Map<string, number>();
  private used = new Set<string>();

  /** The file's text now, or undefined when it cannot be opened or read (then it is closed). */
  readonly read: ProcReader = (path) => {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      try {
        fd = fs.openSync(path, 'r');
      } catch {
        return undefined;
      }
      this.fds.set(path, fd);
    }
    this.used.add(path);
    try {
      let n = 0;
      for (;;) {
        const got = fs.readSync(fd, buf, n, buf.length - n, n);
        n += got;
        if (got === 0) break; // a short read is not the end: seq_file hands out a record at a time
        if (n < buf.length) continue;
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      return buf.toString('utf8', 0, n);
    } catch {
      this.forget(path);
      return undefined;
    }
  };

  /** Close the files not read since the last sweep (children that exited, threads that ended). */
  sweep(): void {
    for (const path of [...this.fds.keys()]) if (!this.used.has(path)) this.forget(path);
    this.used = new Set();
  }

  get openCount(): number {
    return this.fds.size;
  }

  close(): void {
    for (const path of [...this.fds.keys()]) this.forget(path);
  }

  private forget(path: string): void {
    const fd = this.fds.get(path);
    this.fds.delete(path);
    if (fd !== undefined)
      try {
        fs.closeSync(fd);
      } catch {
        /* already gone */
      }
  }
}
