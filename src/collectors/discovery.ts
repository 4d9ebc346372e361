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
}

/** Scan one uml dir. `claimed` avoids re-validating instances whose pid+starttime are already known good. */
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
    const dir = path.join(umlDir, name);
    const key = dir;
    const umid = sanitizeLine(name);
    const base = { key, umid, umlDir, dir, socket: path.join(dir, 'mconsole') };
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (!st.isDirectory()) {
      out.push({ ...base, dirState: 'invalid', reason: 'not a directory' });
      continue;
    }
    if (!mayRead(dir)) {
      // another user's 0700 umid dir: its pid file and socket cannot be seen, its kernel can
      const k = kernelAt?.(dir);
      const why = `umltop may not read this umid dir (permission denied, owner uid ${st.uid}): run umltop as root or as uid ${st.uid}`;
      out.push(
        k
          ? { ...base, pid: k.pid, starttime: k.starttime, dirState: 'unresponsive', reason: why }
          : { ...base, dirState: 'invalid', reason: why },
      );
      continue;
    }
    const pidText = readFileOrUndefined(path.join(dir, 'pid'));
    const hasSocket = isSocket(base.socket);
    // A pid file that names no live kernel of this dir is not the last word: the process table may
    // know the kernel that serves it (a launcher or a reboot rewrote the file, or it is not written yet).
    const instead = (pidFileSays: string): DiscoveredInstance | undefined => {
      const k = kernelAt?.(dir);
      const stat = k && parsePidStat(read(`/proc/${k.pid}/stat`) ?? '');
      if (!k || !stat || stat.starttime !== k.starttime || stat.state === 'Z') return undefined;
      const note = `the pid file ${pidFileSays}; the kernel serving this dir is pid ${k.pid} (from the process table)`;
      const live = { ...base, pid: k.pid, starttime: k.starttime, note, ...nsOf(k.pid) };
      return hasSocket
        ? { ...live, dirState: 'ok', reason: 'running' }
        : { ...live, dirState: 'unresponsive', noSocket: true, reason: `no mconsole socket yet (booting); ${note}` };
    };
    if (pidText === undefined) {
      out.push(
        instead('is missing') ?? {
          ...base,
          dirState: 'invalid',
          reason: hasSocket ? 'no pid file' : 'no pid file and no mconsole socket',
        },
      );
      continue;
    }
    const pid = /^\s*(\d{1,9})\s*$/.test(pidText) ? Number(pidText.trim()) : undefined;
    if (!pid || pid < 2) {
      const holds = `holds ${JSON.stringify(sanitizeLine(pidText.trim().slice(0, 24)))}`;
      out.push(instead(holds) ?? { ...base, dirState: 'invalid', reason: `pid file ${holds}, not a pid` });
      continue;
    }
    const prev = known?.get(key);
    const stat = parsePidStat(read(`/proc/${pid}/stat`) ?? '');
    if (
      prev &&
      prev.dirState === 'ok' &&
      prev.pid === pid &&
      stat &&
      stat.starttime === prev.starttime &&
      stat.state !== 'Z' &&
      hasSocket
    ) {
      out.push(prev);
      continue;
    }
    if (!stat || stat.state === 'Z' || stat.state === 'X') {
      out.push(instead(`names pid ${pid}, which is gone`) ?? deadDir(base, pid, read));
      continue;
    }
    const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0');
    const claimsUmid = cmdline.includes(`umid=${name}`);
    // the socket in the kernel's own network namespace's table: umltop's does not list other namespaces'
    if (!claimsUmid && !(hasSocket && socketPathsOf(pid, read).includes(base.socket))) {
      out.push(
        instead(`names pid ${pid}, now ${sanitizeLine(stat.comm)}`) ?? {
          ...base,
          pid,
          dirState: 'dead',
          reason: `pid ${pid} now belongs to another process (${sanitizeLine(stat.comm)}): recycled pid, instance is gone`,
        },
      );
      continue;
    }
    if (!hasSocket) {
      // its kernel lives: not reachable yet, not invalid
      out.push({
        ...base,
        pid,
        starttime: stat.starttime,
        dirState: 'unresponsive',
        noSocket: true,
        reason: 'no mconsole socket yet (booting, or started without mconsole)',
        ...nsOf(pid),
      });
      continue;
    }
    out.push({ ...base, pid, starttime: stat.starttime, dirState: 'ok', reason: 'running', ...nsOf(pid) });
  }
  return out;
}

/** A dir whose pid file names a process that is gone, and what of its session is still around. */
function deadDir(
  base: Pick<DiscoveredInstance, 'key' | 'umid' | 'umlDir' | 'dir' | 'socket'>,
  pid: number,
  read: ProcReader,
): DiscoveredInstance {
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
