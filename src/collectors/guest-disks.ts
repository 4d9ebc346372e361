// The guest's block devices: /proc/diskstats every sample while a device is busy, every
// QUIET_DISKS_EVERY-th while its devices did nothing (no I/O completed, none in flight: a stall
// keeps it every sample), every DISK_PROBE_EVERY-th while it lists none (a guest on a hostfs root
// has none until a ubd is attached); and the files behind each ubd device from `config ubdN`,
// asked when a device appears and now and then. Rates come from each reading's own time.
import type { UbdFiles } from './guest-sample.js';
import { type DiskLine, shownDisks, ubdIndex } from './proc/diskstats.js';

export const DISK_PROBE_EVERY = 5;
export const QUIET_DISKS_EVERY = 2;
/** Samples between re-asking a device's files (a device removed and added again between two samples). */
export const UBD_FILES_EVERY = 60;

export class GuestDisks {
  private devices = 0;
  private quiet = false;
  /** I/Os were in flight at the last reading: a stall is watched every interval, quiet or not. */
  waiting = false;
  private lastCounts: string | undefined;
  private files = new Map<string, { asked: number; files: UbdFiles }>();

  /** It listed a disk at the last reading. */
  get hasDevices(): boolean {
    return this.devices > 0;
  }

  isDue(n: number): boolean {
    if (this.devices === 0) return n % DISK_PROBE_EVERY === 0;
    return !this.quiet || n % QUIET_DISKS_EVERY === 0;
  }

  /** After a diskstats reading: which ubd devices' files to ask for now (`config ubdN`). */
  read(disks: DiskLine[], n: number): Array<{ name: string; command: string }> {
    const shown = shownDisks(disks);
    this.devices = shown.length;
    const counts = shown.map((d) => `${d.name}:${d.reads}:${d.writes}:${d.inFlight}`).join(' ');
    this.waiting = shown.some((d) => d.inFlight > 0);
    this.quiet = counts === this.lastCounts && !this.waiting;
    this.lastCounts = counts;
    const names = new Set(shown.map((d) => d.name));
    for (const name of this.files.keys()) if (!names.has(name)) this.files.delete(name);
    const due: Array<{ name: string; command: string }> = [];
    for (const d of shown) {
      const i = ubdIndex(d.name);
      const known = this.files.get(d.name);
      if (i !== undefined && (!known || n - known.asked >= UBD_FILES_EVERY))
        due.push({ name: d.name, command: `config ubd${i}` });
    }
    return due;
  }

  answered(name: string, n: number, files: UbdFiles): void {
    this.files.set(name, { asked: n, files });
  }

  /** The files known for the devices now listed. */
  known(): Record<string, UbdFiles> | undefined {
    if (!this.files.size) return undefined;
    return Object.fromEntries([...this.files].map(([name, v]) => [name, v.files]));
  }
}

/** `config ubdN`'s answer: `FILE`, or `COW,BACKING` for a copy-on-write file over a backing file. */
export function parseUbdConfig(text: string): UbdFiles {
  const t = text.trim();
  if (!t) return { error: 'no file (the device is not configured)' };
  const comma = t.indexOf(',');
  return comma === -1 ? { file: t } : { file: t.slice(0, comma), backing: t.slice(comma + 1) };
}
