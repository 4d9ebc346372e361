// /proc/diskstats → one record per block device: `major minor name` and at least the eleven
// classic counters (Documentation/admin-guide/iostats.rst); newer kernels add discard and flush
// fields, which are kept when present. A line without a name or eleven numbers is ignored.
import { lines, type Parsed, uint } from './parse-util.js';

export interface DiskLine {
  major: number;
  minor: number;
  name: string;
  reads: number;
  readsMerged: number;
  sectorsRead: number;
  msReading: number;
  writes: number;
  writesMerged: number;
  sectorsWritten: number;
  msWriting: number;
  /** I/Os in flight now (the only field that is not a counter). */
  inFlight: number;
  /** Milliseconds with at least one I/O in flight. */
  ioTicksMs: number;
  weightedMs: number;
  discards?: number;
  sectorsDiscarded?: number;
  flushes?: number;
}

/** The kernel's diskstats sectors are 512 bytes whatever the device's own sector size. */
export const SECTOR_BYTES = 512;

export function parseDiskstats(text: string): Parsed<DiskLine[]> {
  const value: DiskLine[] = [];
  let ignored = 0;
  for (const line of lines(text)) {
    const w = line.split(/\s+/);
    const n = w.map((x, i) => (i === 2 ? 0 : uint(x)));
    const name = w[2] ?? '';
    if (w.length < 14 || !/^[\x21-\x7e]+$/.test(name) || n.slice(0, 14).some((x) => x === undefined)) {
      ignored++;
      continue;
    }
    const at = (i: number) => n[i]!;
    value.push({
      major: at(0),
      minor: at(1),
      name,
      reads: at(3),
      readsMerged: at(4),
      sectorsRead: at(5),
      msReading: at(6),
      writes: at(7),
      writesMerged: at(8),
      sectorsWritten: at(9),
      msWriting: at(10),
      inFlight: at(11),
      ioTicksMs: at(12),
      weightedMs: at(13),
      ...(w.length >= 18 && n[14] !== undefined && n[16] !== undefined
        ? { discards: at(14), sectorsDiscarded: at(16) }
        : {}),
      ...(w.length >= 20 && n[18] !== undefined ? { flushes: at(18) } : {}),
    });
  }
  return { value, ignored };
}

/**
 * The devices worth a row: whole ubd disks (ubda, not its partitions ubda1) and any other device
 * that has done I/O (an idle ram or loop device is noise).
 */
export function shownDisks(disks: DiskLine[]): DiskLine[] {
  return disks.filter((d) => {
    if (/^ubd[a-z]+$/.test(d.name)) return true;
    if (/^ubd[a-z]+\d+$/.test(d.name)) return false;
    return d.reads + d.writes > 0;
  });
}

/** `ubdb` → 1: the index `config ubdN` takes. */
export function ubdIndex(name: string): number | undefined {
  const m = /^ubd([a-z]+)$/.exec(name);
  if (!m) return undefined;
  let i = 0;
  for (const c of m[1]!) i = i * 26 + (c.charCodeAt(0) - 96);
  return i - 1;
}
