// Host view of one instance from /proc: the kernel process (its threads included), plus its live
// children (the uml-userspace processes where guest user code burns CPU; on older kernels copies
// of the kernel binary). Returns counters; the store turns them into rates.
import fs from 'node:fs';
import { parsePidIo, type PidIo } from './proc/pid-io.js';
import { parsePidStat, type PidStat } from './proc/pid-stat.js';
import { parsePidStatus, type PidStatus } from './proc/pid-status.js';
import { HostNet, type TapCounters } from './host-net.js';
import { ProcFiles, type ProcReader } from './proc-files.js';

export interface HostCounters {
  /** Monotonic ms when read. */
  at: number;
  pid: number;
  starttime: number;
  /** Main process state letter (R, S, T = stopped on the host, Z, ...). */
  state: string;
  /** Ticks: main (utime+stime+cutime+cstime, threads included) + live children (utime+stime). */
  cpuTicks: number;
  minorFaults: number;
  majorFaults: number;
  voluntaryCtxt: number;
  involuntaryCtxt: number;
  threads: number;
  children: number;
  /** Main's VmRSS + children's anonymous RSS (children map the same guest RAM: not counted twice). */
  rssKiB: number;
  rssShmemKiB: number;
  rssAnonKiB: number;
  rssFileKiB: number;
  /** Blocks allocated to the guest-RAM file (what unplug punches holes in), when it can be found. */
  physmemKiB?: number;
  io?: PidIo;
  /**
   * When the main thread's status (context switches, RSS) and io were read: the sample's own
   * time, or an earlier one for a quiet instance, whose rates then come from those times (absent
   * in recordings made before: the sample's time).
   */
  statusAt?: number;
  /** Syscall the main thread sits in (45 = recvfrom: mconsole `stop` loop), if readable (needs ptrace access). */
  syscall?: number;
  /** Kernel function the main thread waits in (readable without ptrace access). */
  wchan?: string;
  /** Owner (real uid) of the kernel process. */
  uid?: number;
  /** The instance's taps and their counters (host's view: rx is what the guest sent). */
  net?: TapCounters[];
}

export class HostGone extends Error {
  constructor(
    readonly pid: number,
    readonly why: 'gone' | 'recycled' | 'zombie',
  ) {
    super(
      why === 'gone'
        ? `pid ${pid} is gone`
        : why === 'zombie'
          ? `pid ${pid} is a zombie`
          : `pid ${pid} now belongs to another process`,
    );
    this.name = 'HostGone';
  }
}

/** Every how many samples the helper threads, their children and the children's status are read. */
export const FULL_EVERY = 5;

/**
 * Quiet means fewer wakeups and less run time of the kernel's main thread than this, per second:
 * every guest event (a timer it set, an interrupt, a system call of a guest process, a packet, a
 * disk request) runs that thread. Measured on 7.2.7 guests, a second at a time: idle 4-9 wakeups
 * and 0.6-3 ms; pinging every 0.2 s 46-52 and 3.7-7.8 ms; a spinning process 200 and 17-34 ms;
 * reading a disk ~10,000 and ~380 ms (docs/quiet-sampling.md).
 */
export const QUIET_WAKEUPS_PER_SEC = 20;
export const QUIET_RUN_MS_PER_SEC = 10;

/**
 * A quiet instance (its CPU ticks did not move over the last sample) has its main thread's status,
 * its io and its list of children read every FULL_EVERY-th sample only: they cannot change much
 * without CPU, and these reads are most of a sample's cost. Any tick reads them all again.
 */
export class HostSource {
  private lastTicks: number | undefined;
  private quiet = false;
  private mainTask: PidStatus | undefined;
  private mainIo: PidIo | undefined;
  private statusAt = 0;
  private mainChildren: number[] = [];
  private lastPhysmem: number | undefined;
  private physmemFd: string | undefined | null = undefined;
  private samples = 0;
  private helperTids: string[] = [];
  private helperTasks: PidStatus[] = [];
  private helperChildren: number[] = [];
  /** Children's last status, by pid and start time (a reused pid is another process). */
  private childStatus = new Map<string, PidStatus>();

  private readonly files: ProcFiles | undefined;
  private readonly read: ProcReader;
  private readonly net: HostNet | undefined;

  /** Without `read`, files are read through descriptors kept open (ProcFiles); close() releases them. */
  constructor(
    readonly pid: number,
    readonly expectedStarttime: number | undefined,
    read?: ProcReader,
    private readonly now: () => number = () => performance.now(),
    o: { io?: boolean } = {},
  ) {
    this.files = read ? undefined : new ProcFiles();
    this.read = read ?? this.files!.read;
    this.net = o.io === false ? undefined : new HostNet(pid, this.read);
  }

  close(): void {
    this.files?.close();
    this.closeSched();
  }

  /**
   * Did the kernel process do anything since the last look (or since `markAsked`)? One read of its
   * main thread's /proc/PID/schedstat (run time, wakeups). True when it cannot be read, or did
   * not wake at all: the full sample then finds out why (gone, recycled, stopped).
   */
  moved(): boolean {
    const { lookAt: at, lookRunNs: runNs, lookWakeups: wakeups } = this;
    if (!this.look() || at === undefined) return true;
    // a live kernel's timers wake it several times a second: none at all is a kernel stopped or
    // frozen on the host, which the full sample reports
    if (this.lookWakeups === wakeups) return true;
    const secs = Math.max(0.001, (this.lookAt! - at) / 1000);
    return (
      (this.lookWakeups - wakeups) / secs > QUIET_WAKEUPS_PER_SEC ||
      (this.lookRunNs - runNs) / 1e6 / secs > QUIET_RUN_MS_PER_SEC
    );
  }

  /** After a full sample: what umltop's own requests made the guest do is not the guest moving. */
  markAsked(): void {
    this.look();
  }

  /**
   * The last look that read: when, run time (ns), wakeups. Kept in place, not an object per look:
   * each lived a beat, long enough to be promoted (500 a second at 500 guests).
   */
  private lookAt: number | undefined;
  private lookRunNs = 0;
  private lookWakeups = 0;

  /** Its own descriptor, read every beat: parsed from the bytes, no string made (hundreds a second). */
  private schedFd: number | undefined;

  /** Read schedstat into the look fields; false (and the last look kept) when it cannot be read. */
  private look(): boolean {
    try {
      this.schedFd ??= fs.openSync(`/proc/${this.pid}/schedstat`, 'r');
      const n = fs.readSync(this.schedFd, LOOK, 0, LOOK.length, 0);
      if (readNumbers(LOOK, n, LOOKED) < 3) return false;
      this.lookAt = this.now();
      this.lookRunNs = LOOKED[0]!;
      this.lookWakeups = LOOKED[2]!;
      return true;
    } catch {
      this.closeSched();
      return false;
    }
  }

  private closeSched(): void {
    if (this.schedFd === undefined) return;
    try {
      fs.closeSync(this.schedFd);
    } catch {
      /* gone */
    }
    this.schedFd = undefined;
  }

  /**
   * `light`: the instance did not move since its last sample (quiet, asked for its age): only what
   * says it lives and where its main thread waits (stat, syscall) is read; the rest cannot have
   * changed without it moving, and is carried from the last full reading with its time.
   */
  sample(o: { light?: boolean } = {}): HostCounters {
    const at = this.now();
    const main = parsePidStat(this.read(`/proc/${this.pid}/stat`) ?? '');
    if (!main) throw new HostGone(this.pid, 'gone');
    if (this.expectedStarttime !== undefined && main.starttime !== this.expectedStarttime)
      throw new HostGone(this.pid, 'recycled');
    if (main.state === 'Z' || main.state === 'X') throw new HostGone(this.pid, 'zombie');
    const last = this.last;
    if (o.light && last) {
      const { syscall: _s, wchan: _w, ...kept } = last;
      const cpuTicks = main.utime + main.stime + main.cutime + main.cstime + this.childTicks;
      return { ...kept, at, state: main.state, cpuTicks, threads: main.numThreads, ...this.waitsIn() };
    }
    this.last = this.fullSample(at, main);
    return this.last;
  }

  private last: HostCounters | undefined;
  /** The live children's CPU ticks at the last full reading. */
  private childTicks = 0;

  private fullSample(at: number, main: PidStat): HostCounters {
    // The kernel forks guest processes from its main thread, and its helper threads (I/O, SIGIO)
    // barely run: they and their children are listed and read every FULL_EVERY-th sample, their
    // counters (monotonic) kept in between. Children's status (context switches, anonymous RSS)
    // likewise; their stat (CPU) every sample, and a new child is read in full at once.
    const full = this.samples++ % FULL_EVERY === 0;
    if (full) {
      this.files?.sweep();
      this.net?.scan();
      this.helperTids = this.helperThreads();
      this.helperTasks = this.taskStatuses(this.helperTids);
      this.helperChildren = this.childPids(this.helperTids);
    }
    const fresh = full || !this.quiet || !this.mainTask;
    if (fresh) {
      this.mainTask = parsePidStatus(this.read(`/proc/${this.pid}/task/${this.pid}/status`) ?? '');
      this.mainIo = this.readIo();
      this.mainChildren = this.childPids([String(this.pid)]);
      this.statusAt = at;
    }
    const tasks = [this.mainTask!, ...this.helperTasks];
    const children = this.readChildren(full);
    const mainStatus = tasks[0] ?? {};
    const kids = childSums(children);
    this.childTicks = kids.ticks;
    const cpuTicks = main.utime + main.stime + main.cutime + main.cstime + this.childTicks;
    this.quiet =
      this.lastTicks === cpuTicks && children.length === this.mainChildren.length + this.helperChildren.length;
    this.lastTicks = cpuTicks;
    if (fresh || this.lastPhysmem === undefined) this.lastPhysmem = this.physmemKiB();
    return {
      at,
      pid: this.pid,
      starttime: main.starttime,
      state: main.state,
      cpuTicks,
      minorFaults: main.minflt + main.cminflt + kids.minflt,
      majorFaults: main.majflt + main.cmajflt + kids.majflt,
      voluntaryCtxt: taskCtxt(tasks, 'voluntaryCtxt') + kids.voluntaryCtxt,
      involuntaryCtxt: taskCtxt(tasks, 'involuntaryCtxt') + kids.involuntaryCtxt,
      threads: main.numThreads,
      children: children.length,
      rssKiB: (mainStatus.vmRssKiB ?? main.rssPages * 4) + kids.rssAnonKiB,
      rssShmemKiB: mainStatus.rssShmemKiB ?? 0,
      rssAnonKiB: mainStatus.rssAnonKiB ?? 0,
      rssFileKiB: mainStatus.rssFileKiB ?? 0,
      physmemKiB: this.lastPhysmem,
      ...(mainStatus.uid !== undefined ? { uid: mainStatus.uid } : {}),
      io: this.mainIo,
      statusAt: this.statusAt,
      ...optional('net', this.net?.sample()),
      ...this.waitsIn(),
    };
  }

  /** The syscall the main thread sits in, or (no ptrace rights) the kernel function it waits in. */
  private waitsIn(): Pick<HostCounters, 'syscall' | 'wchan'> {
    const syscallText = this.read(`/proc/${this.pid}/syscall`);
    const syscall = syscallText ? Number(syscallText.split(' ')[0]) : undefined;
    if (syscall !== undefined && Number.isInteger(syscall)) return { syscall };
    // wchan only when the syscall is not readable: one read fewer per sample
    const wchan = this.read(`/proc/${this.pid}/wchan`)?.trim();
    return wchan && wchan !== '0' ? { wchan } : {};
  }

  /**
   * The live children's stat (CPU) every sample; their status (context switches, anonymous RSS)
   * on full samples, and at once for a child not seen before.
   */
  private readChildren(full: boolean): { stat: PidStat; status: PidStatus }[] {
    const childPids = new Set([...this.mainChildren, ...this.helperChildren]);
    const children: { stat: PidStat; status: PidStatus }[] = [];
    const statuses = new Map<string, PidStatus>();
    for (const c of childPids) {
      const stat = parsePidStat(this.read(`/proc/${c}/stat`) ?? '');
      if (!stat) continue; // exited between the listing and the read
      const id = `${c}:${stat.starttime}`;
      let status = full ? undefined : this.childStatus.get(id);
      if (!status) status = parsePidStatus(this.read(`/proc/${c}/status`) ?? '');
      statuses.set(id, status);
      children.push({ stat, status });
    }
    this.childStatus = statuses;
    return children;
  }

  /** The kernel process's threads other than its main one. */
  private helperThreads(): string[] {
    try {
      return fs.readdirSync(`/proc/${this.pid}/task`).filter((t) => t !== String(this.pid));
    } catch {
      return [];
    }
  }

  private taskStatuses(tids: string[]): PidStatus[] {
    return tids.map((t) => parsePidStatus(this.read(`/proc/${this.pid}/task/${t}/status`) ?? ''));
  }

  private childPids(tids: string[]): number[] {
    const out: number[] = [];
    for (const t of tids) {
      const text = this.read(`/proc/${this.pid}/task/${t}/children`);
      if (text) for (const w of text.trim().split(/\s+/)) if (/^\d+$/.test(w)) out.push(Number(w));
    }
    return out;
  }

  private readIo(): PidIo | undefined {
    const text = this.read(`/proc/${this.pid}/io`);
    return text ? parsePidIo(text) : undefined;
  }

  /** The guest-RAM file is an unlinked tmpfs file the kernel process holds open ("/dev/shm/#12 (deleted)"). */
  private physmemKiB(): number | undefined {
    if (this.physmemFd === undefined) {
      this.physmemFd = null;
      try {
        for (const fd of fs.readdirSync(`/proc/${this.pid}/fd`)) {
          let target = '';
          try {
            target = fs.readlinkSync(`/proc/${this.pid}/fd/${fd}`);
          } catch {
            continue;
          }
          if (/\/#\d+ \(deleted\)$/.test(target) || /\/vm_file-/.test(target)) {
            this.physmemFd = fd;
            break;
          }
        }
      } catch {
        /* no access */
      }
    }
    if (!this.physmemFd) return undefined;
    try {
      return Math.round((fs.statSync(`/proc/${this.pid}/fd/${this.physmemFd}`).blocks * 512) / 1024);
    } catch {
      return undefined;
    }
  }
}

const RECVFROM = 45;

// Loops in module functions, not reduce: per-call closures are compiled again after each full GC (CONTRIBUTING.md).

/** The children's counters, summed (a missing status figure counts 0). */
function childSums(children: { stat: PidStat; status: PidStatus }[]) {
  const s = { ticks: 0, minflt: 0, majflt: 0, voluntaryCtxt: 0, involuntaryCtxt: 0, rssAnonKiB: 0 };
  for (const c of children) {
    s.ticks += c.stat.utime + c.stat.stime;
    s.minflt += c.stat.minflt;
    s.majflt += c.stat.majflt;
    s.voluntaryCtxt += c.status.voluntaryCtxt ?? 0;
    s.involuntaryCtxt += c.status.involuntaryCtxt ?? 0;
    s.rssAnonKiB += c.status.rssAnonKiB ?? 0;
  }
  return s;
}

function taskCtxt(tasks: PidStatus[], k: 'voluntaryCtxt' | 'involuntaryCtxt'): number {
  let n = 0;
  for (const t of tasks) n += t[k] ?? 0;
  return n;
}

const LOOK = Buffer.alloc(128);

const LOOKED = new Float64Array(3);

/** The first decimal numbers of an ASCII line in `buf` (separated by spaces) into `out`; returns how many. */
function readNumbers(buf: Buffer, length: number, out: Float64Array): number {
  let n = 0;
  let v = -1;
  for (let i = 0; i < length && n < out.length; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) v = (v < 0 ? 0 : v * 10) + (c - 48);
    else if (v >= 0) {
      out[n++] = v;
      v = -1;
    }
  }
  if (v >= 0 && n < out.length) out[n++] = v;
  return n;
}

/** Is the kernel's main thread in mconsole `stop`'s loop (blocked in recvfrom on its socket)? */
export function inStopLoop(h: Pick<HostCounters, 'syscall' | 'wchan'>): boolean {
  if (h.syscall !== undefined) return h.syscall === RECVFROM;
  return h.wchan !== undefined && /skb_wait_for_more_packets|unix_dgram_recvmsg|skb_recv/.test(h.wchan);
}

function optional<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}
