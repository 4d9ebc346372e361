// Discovery: which instances exist in the uml dirs, and what state their directories are in.
// Pure-ish scanning (reads files, no sockets) plus a chokidar watcher that triggers rescans.
import fs from 'node:fs';
import path from 'node:path';
import { sanitizeLine } from '../text/sanitize.js';
import { netnsOf, socketPathsOf } from './kernel-location.js';
import type { UmlKernelProcess } from './kernel-processes.js';
import { parsePidStat } from './proc/pid-stat.js';
import { readProc, type ProcReader } from './proc-files.js';

/** 'unresponsive': a live UML kernel serves the dir, but umltop cannot sample it (the reason says why). */
export type DirState = 'ok' | 'dead' | 'invalid' | 'unresponsive';

/** The live UML kernel the process table says serves a umid dir (by the socket it holds or its command line). */
export type KernelAt = (dir: string) => UmlKernelProcess | undefined;

export interface DiscoveredInstance {
  /** `${umlDir}/${umid}`: stable across samples. */
  key: string;
  umid: string;
  umlDir: string;
  dir: string;
  socket: string;
  pid?: number;
  starttime?: number;
  /** 'ok' = a live UML kernel process of this umid with its socket; the poller refines it. */
  dirState: DirState;
  reason: string;
  /** For dead instances: processes of its session that are still around (helpers holding the socket). */
  leftoverPids?: number[];
  /** Set for an instance on another host (seen through `umltop --host`); undefined = this host. */
  hostName?: string;
  /** Its kernel's network namespace, when not umltop's (`ip netns` name or `net:[inode]`). */
  netns?: string;
  /** Found from the process table: its uml dir is not one umltop was told to watch. */
  found?: 'process table';
  /** Something true about the dir that the state does not say (a pid file naming another process). */
  note?: string;
  /** Unresponsive because its kernel runs without its socket or dir (booting, rebooting, halting). */
  noSocket?: boolean;
  /** The umid dir's inode and mtime and its pid file's mtime when it was found running: while they stay, so do its pid file and socket. */
  dirStamp?: string;
}

/** Scan one uml dir. `known` avoids re-validating instances whose pid+starttime are already known good. */
export function scanUmlDir(
  umlDir: string,
  read: ProcReader = readProc,
  known?: Map<string, DiscoveredInstance>,
  kernelAt?: KernelAt,
): DiscoveredInstance[] {
  let names: string[];
  try {
    names = fs.readdirSync(umlDir);
  } catch {
    return [];
  }
  const out: DiscoveredInstance[] = [];
  for (const name of names.sort()) {
    const found = scanUmidDir(umlDir, name, read, known, kernelAt);
    if (found) out.push(found);
  }
  return out;
}

type Base = Pick<DiscoveredInstance, 'key' | 'umid' | 'umlDir' | 'dir' | 'socket'>;

/** One entry of a uml dir: an instance in some state, or nothing (it vanished while looked at). */
function scanUmidDir(
  umlDir: string,
  name: string,
  read: ProcReader,
  known: Map<string, DiscoveredInstance> | undefined,
  kernelAt: KernelAt | undefined,
): DiscoveredInstance | undefined {
  const dir = path.join(umlDir, name);
  const base: Base = { key: dir, umid: sanitizeLine(name), umlDir, dir, socket: path.join(dir, 'mconsole') };
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) return { ...base, dirState: 'invalid', reason: 'not a directory' };
  const stamp = `${st.ino}:${st.mtimeMs}:${mtimeOf(path.join(dir, 'pid'))}`;
  const prev = known?.get(base.key);
  // found running before, and no entry of its dir came or went since: its kernel alone is checked
  if (prev?.dirState === 'ok' && prev.dirStamp === stamp && prev.pid) {
    const stat = parsePidStat(read(`/proc/${prev.pid}/stat`) ?? '');
    if (stat && stat.starttime === prev.starttime && stat.state !== 'Z' && stat.state !== 'X') return prev;
  }
  if (!mayRead(dir)) {
    // another user's 0700 umid dir: its pid file and socket cannot be seen, its kernel can
    const k = kernelAt?.(dir);
    const why = `umltop may not read this umid dir (permission denied, owner uid ${st.uid}): run umltop as root or as uid ${st.uid}`;
    return k
      ? { ...base, pid: k.pid, starttime: k.starttime, dirState: 'unresponsive', reason: why }
      : { ...base, dirState: 'invalid', reason: why };
  }
  const pidText = readFileOrUndefined(path.join(dir, 'pid'));
  const hasSocket = isSocket(base.socket);
  // A pid file that names no live kernel of this dir is not the last word: the process table may
  // know the kernel that serves it (a launcher or a reboot rewrote the file, or it is not written yet).
  const instead = (pidFileSays: string) => fromProcessTable(base, hasSocket, pidFileSays, read, kernelAt);
  if (pidText === undefined)
    return (
      instead('is missing') ?? {
        ...base,
        dirState: 'invalid',
        reason: hasSocket ? 'no pid file' : 'no pid file and no mconsole socket',
      }
    );
  const pid = /^\s*(\d{1,9})\s*$/.test(pidText) ? Number(pidText.trim()) : undefined;
  if (!pid || pid < 2) {
    const holds = `holds ${JSON.stringify(sanitizeLine(pidText.trim().slice(0, 24)))}`;
    return instead(holds) ?? { ...base, dirState: 'invalid', reason: `pid file ${holds}, not a pid` };
  }
  const found = fromPidFile(base, name, pid, hasSocket, read, prev, instead);
  return found.dirState === 'ok' && found.dirStamp !== stamp ? { ...found, dirStamp: stamp } : found;
}

/** The dir's pid file names `pid`: is that the live kernel of this umid, with its socket? */
function fromPidFile(
  base: Base,
  name: string,
  pid: number,
  hasSocket: boolean,
  read: ProcReader,
  prev: DiscoveredInstance | undefined,
  instead: (pidFileSays: string) => DiscoveredInstance | undefined,
): DiscoveredInstance {
  const stat = parsePidStat(read(`/proc/${pid}/stat`) ?? '');
  // known good at this pid and start time: no need to look again
  if (prev?.dirState === 'ok' && prev.pid === pid && stat && stat.starttime === prev.starttime && stat.state !== 'Z')
    if (hasSocket) return prev;
  if (!stat || stat.state === 'Z' || stat.state === 'X')
    return instead(`names pid ${pid}, which is gone`) ?? deadDir(base, pid, read);
  const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0');
  const claimsUmid = cmdline.includes(`umid=${name}`);
  // the socket in the kernel's own network namespace's table: umltop's does not list other namespaces'
  if (!claimsUmid && !(hasSocket && socketPathsOf(pid, read).includes(base.socket)))
    return (
      instead(`names pid ${pid}, now ${sanitizeLine(stat.comm)}`) ?? {
        ...base,
        pid,
        dirState: 'dead',
        reason: `pid ${pid} now belongs to another process (${sanitizeLine(stat.comm)}): recycled pid, instance is gone`,
      }
    );
  const live = { ...base, pid, starttime: stat.starttime, ...nsOf(pid) };
  if (!hasSocket)
    // its kernel lives: not reachable yet, not invalid
    return {
      ...live,
      dirState: 'unresponsive',
      noSocket: true,
      reason: 'no mconsole socket yet (booting, or started without mconsole)',
    };
  return { ...live, dirState: 'ok', reason: 'running' };
}

/** The kernel the process table says serves the dir, when its pid file does not name it. */
function fromProcessTable(
  base: Base,
  hasSocket: boolean,
  pidFileSays: string,
  read: ProcReader,
  kernelAt: KernelAt | undefined,
): DiscoveredInstance | undefined {
  const k = kernelAt?.(base.dir);
  const stat = k && parsePidStat(read(`/proc/${k.pid}/stat`) ?? '');
  if (!k || !stat || stat.starttime !== k.starttime || stat.state === 'Z') return undefined;
  const note = `the pid file ${pidFileSays}; the kernel serving this dir is pid ${k.pid} (from the process table)`;
  const live = { ...base, pid: k.pid, starttime: k.starttime, note, ...nsOf(k.pid) };
  return hasSocket
    ? { ...live, dirState: 'ok', reason: 'running' }
    : { ...live, dirState: 'unresponsive', noSocket: true, reason: `no mconsole socket yet (booting); ${note}` };
}

/** A dir whose pid file names a process that is gone, and what of its session is still around. */
function deadDir(base: Base, pid: number, read: ProcReader): DiscoveredInstance {
  const leftovers = sessionMembers(pid, read);
  return {
    ...base,
    pid,
    dirState: 'dead',
    leftoverPids: leftovers,
    reason:
      `pid ${pid} is gone (crashed, panicked or killed); directory left behind` +
      (leftovers.length ? `; ${leftovers.length} leftover process(es) of its session still alive` : ''),
  };
}

/** Processes whose session id is `sid` (other than `sid` itself). */
export function sessionMembers(sid: number, read: ProcReader = readProc): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const p of pids) {
    const s = parsePidStat(read(`/proc/${p}/stat`) ?? '');
    if (s && s.session === sid && s.pid !== sid && s.state !== 'Z') out.push(s.pid);
  }
  return out;
}

function mayRead(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function nsOf(pid: number): { netns?: string } {
  const netns = netnsOf(pid);
  return netns ? { netns } : {};
}

function readFileOrUndefined(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8').slice(0, 64);
  } catch {
    return undefined;
  }
}

function isSocket(p: string): boolean {
  try {
    return fs.statSync(p).isSocket();
  } catch {
    return false;
  }
}

/** Every user's ~/.uml that exists (for --all-users, as root). */
export function allUsersUmlDirs(passwd = '/etc/passwd'): string[] {
  let text = '';
  try {
    text = fs.readFileSync(passwd, 'utf8');
  } catch {
    return [];
  }
  const dirs = new Set<string>();
  for (const line of text.split('\n')) {
    const home = line.split(':')[5];
    if (home?.startsWith('/')) {
      const d = path.join(home, '.uml');
      try {
        if (fs.statSync(d).isDirectory()) dirs.add(d);
      } catch {
        /* none */
      }
    }
  }
  return [...dirs];
}

function mtimeOf(p: string): number | undefined {
  try {
    return fs.lstatSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}
