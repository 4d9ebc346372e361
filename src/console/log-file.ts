// An instance's console output when it goes to a file: the kernel process's fd 1 or 2 is then a
// regular file (`con0=fd:1` with stdout redirected, as launchers and umltop's fleets do). Read on
// the host, so nothing is lost, unlike a dump's reply packets.
import fs from 'node:fs';

export interface ConsoleLogFile {
  path: string;
  /** Which descriptor of the kernel process it is. */
  fd: 1 | 2;
}

export function consoleLogFile(pid: number): ConsoleLogFile | undefined {
  for (const fd of [1, 2] as const) {
    try {
      if (!fs.statSync(`/proc/${pid}/fd/${fd}`).isFile()) continue;
      return { path: fs.readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/ \(deleted\)$/, ''), fd };
    } catch {
      /* gone, or not ours to read */
    }
  }
  return undefined;
}

/** Bytes the file holds (through the process's descriptor, so a renamed or deleted file still counts). */
export function fileSize(pid: number, log: ConsoleLogFile): number | undefined {
  try {
    return fs.statSync(`/proc/${pid}/fd/${log.fd}`).size;
  } catch {
    return undefined;
  }
}

/** What the file holds from `from` on, at most `max` bytes (the newest when there is more). */
export function readFrom(pid: number, log: ConsoleLogFile, from: number, max = 4 << 20): string {
  return readBytesFrom(pid, log, from, max).bytes.toString('utf8');
}

/** The same as bytes, with the offset they start at (later than `from` when more than `max` came). */
export function readBytesFrom(
  pid: number,
  log: ConsoleLogFile,
  from: number,
  max = 4 << 20,
): { bytes: Buffer; start: number } {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/fd/${log.fd}`, 'r');
  } catch {
    return { bytes: Buffer.alloc(0), start: from };
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(from, size - max);
    const buf = Buffer.alloc(Math.max(0, size - start));
    const n = fs.readSync(fd, buf, 0, buf.length, start);
    return { bytes: buf.subarray(0, n), start };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * How many bytes of `buf` hold whole UTF-8 characters: a file read while the kernel writes it can
 * end inside a character, whose rest comes with the next read. Bytes that can never complete
 * (an invalid sequence) count as whole, so they are shown (as U+FFFD) rather than held back.
 */
export function wholeUtf8(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
    return need > back ? buf.length - back : buf.length;
  }
  return buf.length;
}

/** Leading continuation bytes of a read that began inside a character (the start of a tail). */
export function skipPartialUtf8(buf: Buffer): number {
  let i = 0;
  while (i < Math.min(3, buf.length) && (buf[i]! & 0xc0) === 0x80) i++;
  return i;
}
