// The instance's network interfaces as the host sees them: each tap is an open /dev/net/tun
// descriptor of the kernel process (its fdinfo names it), with counters in the process's own
// /proc/PID/net/dev (its network namespace, wherever it was started). Nothing is configured:
// the taps are found from the process. The guest's name for each (vec0) comes from the command line.
import fs from 'node:fs';
import type { ProcReader } from './proc-files.js';
import { guestInterfaces, type NetCounters, parseNetDev, tunInterface } from './proc/net-dev.js';

export interface TapCounters {
  /** The host's interface (the tap). */
  tap: string;
  /** The guest's interface on it (vec0), when the command line says. */
  guestInterface?: string;
  counters: NetCounters;
}

export class HostNet {
  private taps: string[] = [];
  private guestNames: Map<string, string> | undefined;
  /** Descriptors already looked at, with the tap each is (''), so a rescan reads only new ones. */
  private seen = new Map<string, string>();

  constructor(
    private readonly pid: number,
    private readonly read: ProcReader,
  ) {}

  /** Look for tun descriptors again (a guest opens its tap when it brings the interface up). */
  scan(): void {
    const found: string[] = [];
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${this.pid}/fd`);
    } catch {
      return; // gone, or no access: the host sample says which
    }
    const seen = new Map<string, string>();
    for (const fd of fds) {
      // a descriptor number is reused only after a close: a tap closed and another file opened
      // under its number between two scans is taken for the tap until that tap's counters go
      let tap = this.seen.get(fd);
      if (tap === undefined) tap = this.tapOf(fd);
      seen.set(fd, tap);
      if (tap && !found.includes(tap)) found.push(tap);
    }
    this.seen = seen;
    this.taps = found.sort();
    if (found.length && !this.guestNames)
      this.guestNames = guestInterfaces((this.read(`/proc/${this.pid}/cmdline`) ?? '').split('\0'));
  }

  private tapOf(fd: string): string {
    try {
      if (fs.readlinkSync(`/proc/${this.pid}/fd/${fd}`) !== '/dev/net/tun') return '';
    } catch {
      return '';
    }
    return tunInterface(this.read(`/proc/${this.pid}/fdinfo/${fd}`) ?? '') ?? '';
  }

  /** The taps' counters now; undefined when the instance has none. */
  sample(): TapCounters[] | undefined {
    if (!this.taps.length) return undefined;
    const counters = parseNetDev(this.read(`/proc/${this.pid}/net/dev`) ?? '', this.taps);
    const out: TapCounters[] = [];
    for (const tap of this.taps) {
      const c = counters.get(tap);
      if (!c) continue; // the tap went away between the scan and now
      const guestInterface = this.guestNames?.get(tap);
      out.push({ tap, ...(guestInterface ? { guestInterface } : {}), counters: c });
    }
    return out;
  }
}
