// Where a UML kernel process lives: the umid dir it serves, read from the mconsole socket it holds
// (the UML picks a random umid when the one asked for is taken, so its command line can be wrong)
// in its own network namespace's socket table, else from its command line and UML's defaults.
import fs from 'node:fs';
import path from 'node:path';
import type { UmlKernelProcess } from './kernel-processes.js';
import type { ProcReader } from './proc-files.js';
import { sanitizeLine } from '../text/sanitize.js';

export interface KernelLocation {
  /** The umid dir as the kernel named it (undefined: a random umid and no access to its sockets). */
  dir?: string;
  via?: 'socket' | 'command line';
  /** Its network namespace when not umltop's: the `ip netns` name, else `net:[inode]`. */
  netns?: string;
}

/**
 * Socket tables already read in one pass, by network namespace: every kernel of a namespace sees the
 * same /proc/PID/net/unix, hundreds of lines with hundreds of guests, so one pass reads it once.
 */
export type SocketTables = Map<string, Map<string, string>>;

/** Paths of the sockets `pid` holds, from its own namespace's /proc/PID/net/unix. */
export function socketPathsOf(pid: number, read: ProcReader, tables?: SocketTables): string[] {
  const ns = tables ? readlink(`/proc/${pid}/ns/net`) : '';
  let byInode = ns ? tables?.get(ns) : undefined;
  if (!byInode) {
    byInode = new Map<string, string>();
    for (const line of (read(`/proc/${pid}/net/unix`) ?? '').split('\n')) {
      const w = line.trim().split(/\s+/);
      if (w.length >= 8 && w[7]!.startsWith('/')) byInode.set(w[6]!, w[7]!);
    }
    if (ns && byInode.size) tables?.set(ns, byInode);
  }
  const out: string[] = [];
  if (byInode.size === 0) return out;
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out; // another user's process: no access to its descriptors
  }
  for (const fd of fds) {
    const m = /^socket:\[(\d+)\]$/.exec(readlink(`/proc/${pid}/fd/${fd}`));
    const p = m && byInode.get(m[1]!);
    if (p) out.push(p);
  }
  return out;
}

export function locateKernel(k: UmlKernelProcess, read: ProcReader, tables?: SocketTables): KernelLocation {
  const netns = netnsOf(k.pid);
  const ns = netns ? { netns } : {};
  const socket = socketPathsOf(k.pid, read, tables).find((p) => path.basename(p) === 'mconsole');
  if (socket) return { dir: path.dirname(socket), via: 'socket', ...ns };
  if (!k.umid) return ns;
  // umid.c: uml_dir= replaces ~/.uml/, and a leading ~ is the kernel's $HOME
  const home = homeOf(k.pid, read);
  const umlDir = k.umlDir ?? '~/.uml';
  const base = umlDir.startsWith('~') ? (home ? home + umlDir.slice(1) : undefined) : umlDir;
  return base ? { dir: path.join(base, k.umid), via: 'command line', ...ns } : ns;
}

function homeOf(pid: number, read: ProcReader): string | undefined {
  const env = read(`/proc/${pid}/environ`);
  return env
    ?.split('\0')
    .find((e) => e.startsWith('HOME='))
    ?.slice(5);
}

let ownNetns: string | undefined;

/** The process's network namespace when it is not umltop's own (named as `ip netns` names it). */
export function netnsOf(pid: number): string | undefined {
  ownNetns ??= readlink('/proc/self/ns/net');
  const ns = readlink(`/proc/${pid}/ns/net`);
  if (!ns || ns === ownNetns) return undefined;
  const ino = /\[(\d+)\]/.exec(ns)?.[1];
  try {
    for (const name of fs.readdirSync('/run/netns')) {
      if (String(fs.statSync(path.join('/run/netns', name)).ino) === ino) return sanitizeLine(name);
    }
  } catch {
    /* no named namespaces */
  }
  return sanitizeLine(ns);
}

function readlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}
