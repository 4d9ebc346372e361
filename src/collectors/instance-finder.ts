// Which instances exist: the watched uml dirs, checked against the process table. A live UML
// kernel is never called dead or gone while it runs: a pid file naming another process, a random
// umid, another network namespace or a dir that vanished for a reboot are each told as they are.
import fs from 'node:fs';
import path from 'node:path';
import { type DiscoveredInstance, scanUmlDir } from './discovery.js';
import { type KernelLocation, locateKernel } from './kernel-location.js';
import { type OrphanProcess, type UmlKernelProcess, umlKernelProcesses } from './kernel-processes.js';
import { parsePidStat } from './proc/pid-stat.js';
import { readProc, type ProcReader } from './proc-files.js';
import { sanitizeLine } from '../text/sanitize.js';

/** How long a known instance whose dir vanished under its live kernel stays listed (a reboot recreates it in about a second). */
const VANISHED_GRACE_MS = 15_000;

/** The process table is read in full at least this often, even when no process was made. */
const FULL_REFRESH_MS = 30_000;

/** The newest pid the host handed out (/proc/loadavg's last field): while it stays, no process was made. */
const newestPid = (read: ProcReader): string | undefined => read('/proc/loadavg')?.trim().split(' ')[4];

interface Located {
  k: UmlKernelProcess;
  loc: KernelLocation;
  /** Where umltop reaches its umid dir, as of the last reading (see reachable). */
  here?: string;
}

export class InstanceFinder {
  readonly discovered = new Map<string, DiscoveredInstance>();
  /** Uml dirs added because a kernel in the process table lives there. */
  readonly processDirs = new Set<string>();
  private kernels = new Map<number, Located>();
  private byDir = new Map<string, UmlKernelProcess>();
  private vanishedAt = new Map<string, number>();
  /** Pids known not to be UML kernels (forgotten every minute: pids get reused). */
  private notUml = new Set<number>();
  private notUmlSince = -Infinity;
  private refreshedAt = -Infinity;
  /** The host's newest pid when the process table was last read in full, and when. */
  private pidAtRefresh: string | undefined;
  private fullRefreshAt = -Infinity;

  constructor(
    private readonly read: ProcReader,
    private readonly now: () => number,
    private readonly lastPid: () => string | undefined = () => newestPid(read),
  ) {}

  /** Scan the dirs; what is in them and known instances of theirs that vanished under a live kernel. */
  scan(dirs: string[]): DiscoveredInstance[] {
    let found = this.scanDirs(dirs);
    // A dir newly dead may be served by a kernel the process table has not been read for yet.
    const suspect = found.filter((f) => f.dirState === 'dead' && this.discovered.get(f.key)?.dirState !== 'dead');
    if (suspect.length && this.now() - this.refreshedAt > 1000) {
      this.refresh();
      found = this.scanDirs(dirs);
    }
    found.push(...this.unreadable(dirs, found));
    const seen = new Set(found.map((f) => f.key));
    const inScope = (key: string) => dirs.some((d) => key.startsWith(d.endsWith('/') ? d : `${d}/`));
    for (const [key, prev] of this.discovered) {
      if (!inScope(key) || seen.has(key)) continue;
      const since = this.vanishedAt.get(key) ?? this.now();
      // a dead dir removed is gone: only a dir a live kernel was known to serve is held
      const held = prev.dirState !== 'dead' && prev.pid && prev.starttime !== undefined;
      if (held && this.alive(prev.pid!, prev.starttime) && this.now() - since < VANISHED_GRACE_MS) {
        this.vanishedAt.set(key, since);
        found.push({
          ...prev,
          dirState: 'unresponsive',
          noSocket: true,
          reason: `its umid dir ${prev.dir} is gone while its kernel (pid ${prev.pid}) runs: rebooting, or the dir was removed`,
        });
      }
    }
    for (const f of found) if (seen.has(f.key)) this.vanishedAt.delete(f.key);
    for (const key of [...this.discovered.keys()]) if (inScope(key)) this.discovered.delete(key);
    for (const f of found) this.discovered.set(f.key, f);
    return found;
  }

  /**
   * Read the process table: every UML kernel and the dir it serves. Returns the uml dirs of kernels
   * outside `watched` whose dirs exist here, and the orphans: kernels no umid dir accounts for.
   */
  scanProcesses(watched: string[]): { outside: string[]; rescan: string[]; orphans: OrphanProcess[] } {
    if (!this.refreshQuickly()) this.refresh();
    const claimed = new Set<number>();
    for (const f of this.discovered.values()) if (f.pid) claimed.add(f.pid);
    const isWatched = (umlDir: string) => watched.includes(umlDir);
    const outside = new Set<string>();
    const rescan = new Set<string>();
    const orphans: OrphanProcess[] = [];
    for (const { k, loc, here } of this.kernels.values()) {
      if (claimed.has(k.pid)) continue;
      if (here) {
        const umlDir = path.dirname(here);
        (isWatched(umlDir) ? rescan : outside).add(umlDir); // a scan of its dir finds it by this reading
        continue;
      }
      orphans.push(this.orphan(k, loc));
    }
    return { outside: [...outside], rescan: [...rescan], orphans };
  }

  /** The live kernel that serves a umid dir, by the process table's last reading. */
  readonly kernelAt = (dir: string): UmlKernelProcess | undefined => this.byDir.get(dir);

  /**
   * Live kernels whose umid dir, in one of `dirs`, umltop may not read (another user's 0700 dir,
   * umltop without root): listed as unresponsive, saying why, rather than left out.
   */
  private unreadable(dirs: string[], found: DiscoveredInstance[]): DiscoveredInstance[] {
    const claimed = new Set(found.map((f) => f.pid));
    const out: DiscoveredInstance[] = [];
    for (const { k, loc } of this.kernels.values()) {
      if (!loc.dir || claimed.has(k.pid) || probe(loc.dir) !== 'denied') continue;
      const umlDir = path.dirname(loc.dir);
      if (!dirs.includes(umlDir)) continue;
      const owner = ownerOf(`/proc/${k.pid}`);
      out.push({
        key: loc.dir,
        umid: sanitizeLine(path.basename(loc.dir)),
        umlDir,
        dir: loc.dir,
        socket: path.join(loc.dir, 'mconsole'),
        pid: k.pid,
        starttime: k.starttime,
        dirState: 'unresponsive',
        reason: `umltop may not read its umid dir ${sanitizeLine(loc.dir)} (permission denied): run umltop as root${owner === undefined ? '' : ` or as uid ${owner}`}`,
        ...(this.processDirs.has(umlDir) ? { found: 'process table' as const } : {}),
        ...(loc.netns ? { netns: loc.netns } : {}),
      });
    }
    return out;
  }

  private scanDirs(dirs: string[]): DiscoveredInstance[] {
    const out: DiscoveredInstance[] = [];
    for (const dir of dirs) {
      const inDir = scanUmlDir(dir, this.read, this.discovered, this.kernelAt);
      if (this.processDirs.has(dir)) for (const f of inDir) f.found = 'process table';
      const other = /^\/proc\/(\d+)\/root\//.exec(dir);
      if (other)
        for (const f of inDir)
          f.note ??= `in another mount namespace: its uml dir ${dir.slice(other[0].length - 1)} is seen through /proc/${other[1]}/root`;
      out.push(...inDir);
    }
    return out;
  }

  /**
   * When no process was made since the last full reading, the kernels are that reading's still
   * alive: one a running instance claims is looked at by its samples every beat and is kept; the
   * others are read again. False when the table must be read in full (a new pid, a kernel's dir
   * gone, FULL_REFRESH_MS passed).
   */
  private refreshQuickly(): boolean {
    const last = this.lastPid();
    if (last === undefined || last !== this.pidAtRefresh || this.now() - this.fullRefreshAt > FULL_REFRESH_MS)
      return false;
    const running = new Set<number>();
    for (const f of this.discovered.values()) if (f.dirState === 'ok' && f.pid) running.add(f.pid);
    for (const [pid, l] of this.kernels) {
      if (running.has(pid)) continue;
      if (!this.alive(pid, l.k.starttime)) this.kernels.delete(pid);
      else if (reachable(l.k, l.loc) !== l.here) return false; // its dir went or came back
    }
    this.indexByDir();
    this.refreshedAt = this.now();
    return true;
  }

  private refresh(): void {
    const now = this.now();
    this.pidAtRefresh = this.lastPid(); // before the table: a process made while it is read is seen next time
    this.fullRefreshAt = now;
    if (now - this.notUmlSince > 60_000) {
      this.notUml.clear();
      this.notUmlSince = now;
    }
    const next = new Map<number, Located>();
    const tables = new Map<string, Map<string, string>>();
    const known = new Map([...this.kernels].map(([pid, l]) => [pid, l.k]));
    for (const k of umlKernelProcesses(this.read, { notUml: this.notUml, known })) {
      const was = this.kernels.get(k.pid);
      // where a kernel lives does not change while it runs, unless its dir went away (a reboot)
      const kept = was && was.k.starttime === k.starttime ? was.loc : undefined;
      const keptHere = kept && reachable(k, kept);
      const loc = kept && (!kept.dir || keptHere) ? kept : locateKernel(k, this.read, tables);
      next.set(k.pid, { k, loc, here: loc === kept ? keptHere : reachable(k, loc) });
    }
    this.kernels = next;
    this.indexByDir();
    this.refreshedAt = now;
  }

  private indexByDir(): void {
    this.byDir = new Map();
    for (const { k, loc, here } of this.kernels.values()) {
      if (loc.dir) this.byDir.set(loc.dir, k);
      if (here) this.byDir.set(here, k);
    }
  }

  private orphan(k: UmlKernelProcess, loc: KernelLocation): OrphanProcess {
    const dir = loc.dir ? sanitizeLine(loc.dir) : undefined;
    const ns = loc.netns ? ` (network namespace ${sanitizeLine(loc.netns)})` : '';
    const reason = !dir
      ? `UML kernel with a random umid; its dir cannot be found (no access to its sockets)${ns}`
      : !canLookInto(`/proc/${k.pid}/root`)
        ? `UML kernel whose umid dir ${dir} is not visible here, and its root cannot be looked into (another user's: run as root)${ns}`
        : `UML kernel whose umid dir ${dir} is gone (removed while it runs)${ns}`;
    return {
      pid: k.pid,
      comm: sanitizeLine(k.comm),
      ...(k.umid ? { umid: sanitizeLine(k.umid) } : {}),
      ...(loc.dir
        ? { umlDir: sanitizeLine(path.dirname(loc.dir)) }
        : k.umlDir
          ? { umlDir: sanitizeLine(k.umlDir) }
          : {}),
      reason,
    };
  }

  private alive(pid: number, starttime: number | undefined): boolean {
    const s = parsePidStat(this.read(`/proc/${pid}/stat`) ?? '');
    return !!s && s.state !== 'Z' && s.state !== 'X' && s.starttime === starttime;
  }
}

/**
 * Where umltop can reach a kernel's umid dir: as named, or through the kernel's own root when it
 * lives in another mount namespace (a private /tmp, a container): /proc/PID/root/DIR.
 */
function reachable(k: UmlKernelProcess, loc: KernelLocation): string | undefined {
  if (!loc.dir) return undefined;
  if (probe(loc.dir) !== 'no') return loc.dir; // one umltop may not read is still where it lives
  const through = `/proc/${k.pid}/root${loc.dir}`;
  return exists(through) ? through : undefined;
}

/** Whether a path exists, as far as umltop may look (EACCES: it may exist). */
function probe(p: string): 'yes' | 'no' | 'denied' {
  try {
    fs.lstatSync(p);
    return 'yes';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EACCES' ? 'denied' : 'no';
  }
}

function ownerOf(p: string): number | undefined {
  try {
    return fs.statSync(p).uid;
  } catch {
    return undefined;
  }
}

function canLookInto(dir: string): boolean {
  try {
    fs.readdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  return probe(p) === 'yes';
}

/** One look, for a command acting on an instance: the dirs, checked against the process table (and its dirs, when asked). */
export function findInstancesOnce(
  umlDirs: string[],
  o: { processTable?: boolean; read?: ProcReader } = {},
): DiscoveredInstance[] {
  const finder = new InstanceFinder(o.read ?? readProc, () => performance.now());
  const { outside } = finder.scanProcesses(umlDirs);
  if (!o.processTable) return finder.scan(umlDirs);
  for (const d of outside) finder.processDirs.add(d);
  return finder.scan([...umlDirs, ...outside]);
}
