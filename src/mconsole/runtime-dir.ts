// The private directory that holds umltop's client sockets: $XDG_RUNTIME_DIR/umltop (0700, ours;
// 0711 once a socket in it is given to another user's guest kernel, so it can reply),
// else a fresh mkdtemp directory named after the process (removed with its sockets on every exit
// path). What killed umltop processes left (SIGKILL runs no hook) is swept at start: their sockets,
// and their fallback directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onExit } from '../runtime/exit-hooks.js';

export interface RuntimeDir {
  path: string;
  /**
   * A new socket path, unique to this process: in the dir, or, for replies from another user's
   * kernel (`forUid`, see replyUid), where that user can reach it.
   */
  socketPath(tag: string, forUid?: number): string;
  /**
   * The uid whose kernel answers at `instanceSocket`, when it is not umltop's: the guest replies
   * with sendto() as its kernel's user, who then needs write permission on umltop's socket and a
   * path to it. (uml_mconsole's abstract sockets need no permission, but do not cross network
   * namespaces.)
   */
  replyUid(instanceSocket: string): number | undefined;
  /** Give a socket made with `forUid` to that user; throws, saying why, when it cannot. */
  giveTo(socket: string, uid: number): void;
  /** Remove everything this process created. */
  cleanup(): void;
}

let current: RuntimeDir | undefined;
let sequence = 0;

export function runtimeDir(env: NodeJS.ProcessEnv = process.env): RuntimeDir {
  if (current) return current;
  const { dir, temporary } = choose(env);
  sweepStale(dir);
  const created = new Set<string>();
  let shared: string | undefined;
  const rd: RuntimeDir = {
    path: dir,
    socketPath(tag: string, forUid?: number) {
      if (forUid !== undefined && !shared) shared = sharedDir(dir, temporary);
      const where = forUid === undefined ? dir : shared!;
      const p = path.join(where, `c-${process.pid}-${++sequence}-${tag.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 24)}`);
      created.add(p);
      return p;
    },
    replyUid(instanceSocket: string) {
      try {
        const uid = fs.statSync(instanceSocket).uid;
        return uid === process.geteuid?.() ? undefined : uid;
      } catch {
        return undefined; // the send says what is wrong with it
      }
    },
    giveTo(socket: string, uid: number) {
      try {
        fs.chmodSync(socket, 0o700); // before chown: a file no longer ours takes CAP_FOWNER to chmod
        fs.chownSync(socket, uid, -1);
      } catch (e) {
        throw new Error(
          `${(e as NodeJS.ErrnoException).code ?? 'error'}: its kernel runs as uid ${uid} and could not write its replies to umltop's socket (run umltop as root or as uid ${uid})`,
        );
      }
    },
    cleanup() {
      for (const p of created) {
        try {
          fs.unlinkSync(p);
        } catch {
          /* already gone */
        }
      }
      created.clear();
      for (const d of temporary ? [dir, shared] : [shared !== dir ? shared : undefined]) {
        if (!d) continue;
        try {
          fs.rmSync(d, { recursive: true, force: true });
        } catch {
          /* ignore */
        }
      }
      current = undefined;
    },
  };
  onExit(() => rd.cleanup());
  current = rd;
  return rd;
}

/**
 * Where sockets for other users' kernels go: the dir itself (made 0711: searchable, not listable)
 * when every dir above it lets others through, else a fallback dir of this process under TMPDIR
 * ($XDG_RUNTIME_DIR is usually 0700).
 */
function sharedDir(dir: string, temporary: boolean): string {
  let through = true;
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) through = false;
    if (d === path.dirname(d)) break;
  }
  if (through) {
    fs.chmodSync(dir, 0o711);
    return dir;
  }
  if (!temporary) sweepStaleTemporaryDirs(os.tmpdir());
  const fallback = temporary ? dir : fs.mkdtempSync(path.join(os.tmpdir(), `umltop-${process.pid}-`));
  fs.chmodSync(fallback, 0o711);
  return fallback;
}

function choose(env: NodeJS.ProcessEnv): { dir: string; temporary: boolean } {
  const base = env.XDG_RUNTIME_DIR;
  if (base && path.isAbsolute(base) && fs.existsSync(base)) {
    const dir = path.join(base, 'umltop');
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = fs.lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
      throw new Error(`${dir} is not a directory owned by uid ${uid}; refusing to put sockets there`);
    }
    // 0711 is kept: another umltop here shares sockets with other users' guests (shareWith)
    if ((st.mode & 0o066) !== 0) fs.chmodSync(dir, 0o700);
    return { dir, temporary: false };
  }
  sweepStaleTemporaryDirs(os.tmpdir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `umltop-${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  return { dir, temporary: true };
}

/** Fallback directories (umltop-PID-XXXXXX) of this user's umltop processes that no longer exist. */
function sweepStaleTemporaryDirs(tmp: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^umltop-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    const dir = path.join(tmp, name);
    try {
      const st = fs.lstatSync(dir);
      // only a directory of ours that holds nothing but sockets (what umltop puts there)
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      const entries = fs.readdirSync(dir);
      if (!entries.every((e) => fs.lstatSync(path.join(dir, e)).isSocket())) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* raced or not ours */
    }
  }
}

/** Remove client sockets left by umltop processes that no longer exist (e.g. killed with SIGKILL). */
function sweepStale(dir: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^c-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      /* raced */
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
