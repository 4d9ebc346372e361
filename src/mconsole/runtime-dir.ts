// The private directory that holds umltop's client sockets: $XDG_RUNTIME_DIR/umltop (0700, ours),
// else a fresh mkdtemp directory named after the process (removed with its sockets on every exit
// path). What killed umltop processes left (SIGKILL runs no hook) is swept at start: their sockets,
// and their fallback directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onExit } from '../runtime/exit-hooks.js';

export interface RuntimeDir {
  path: string;
  /** A new socket path inside the dir, unique to this process. */
  socketPath(tag: string): string;
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
  const rd: RuntimeDir = {
    path: dir,
    socketPath(tag: string) {
      const p = path.join(dir, `c-${process.pid}-${++sequence}-${tag.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 24)}`);
      created.add(p);
      return p;
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
      if (temporary) {
        try {
          fs.rmSync(dir, { recursive: true, force: true });
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
    if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
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
