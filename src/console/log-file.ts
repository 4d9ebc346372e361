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
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/fd/${log.fd}`, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(from, size - max);
    const buf = Buffer.alloc(Math.max(0, size - start));
    const n = fs.readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
