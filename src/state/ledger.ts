// The hotplug ledger: how much memory umltop has unplugged from each instance, and the history of
// its operations. The kernel cannot report it (`config mem` returns an address, not a size), so
// umltop keeps it: one JSON file per instance under $XDG_STATE_HOME/umltop/ledger/, written
// atomically (temp file, fsync, rename), keyed by the boot it belongs to, so a rebooted or
// different instance with the same umid starts from zero.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Meminfo, unnamedKiB } from '../collectors/proc/meminfo.js';

export interface BootIdentity {
  /** Host pid of the kernel process. */
  pid: number;
  /** Its start time (clock ticks after host boot): with the pid, one process. */
  starttime: number;
  /** Guest boot time (/proc/stat btime): changes on an mconsole reboot, which keeps the pid. */
  btime: number;
}

export interface LedgerOperation {
  time: string;
  /** Signed KiB asked: negative unplugs. */
  askedKiB: number;
  /** Signed KiB the ledger moved by (what really happened, as verified). */
  recordedKiB: number;
  /** How far the guest's unnamed memory moved, negated: what it gave (−) or got back (+). */
  guestDeltaKiB?: number;
  /** Kept for reference: MemFree also moves with reclaim, so it does not decide. */
  guestMemFreeDeltaKiB?: number;
  hostShmemDeltaKiB?: number;
  reply: string;
  note?: string;
}

export interface LedgerEntry {
  umid: string;
  umlDir: string;
  identity: BootIdentity;
  unpluggedKiB: number;
  history: LedgerOperation[];
  /**
   * A step written ahead of its request and not yet verified: present only if umltop died in the
   * middle of a step. The kernel acts on `config mem` as soon as it reads it, so the next umltop
   * counts the step as done (see resolvePending).
   */
  pending?: {
    time: string;
    signedKiB: number;
    command: string;
    /** The guest's unnamed memory just before (see unnamedKiB). */
    unnamedBeforeKiB?: number;
    /** Written by umltop before the unnamed measure; still read from an older ledger. */
    memFreeBeforeKiB?: number;
  };
}

/**
 * Settle a step left pending by a umltop that died mid-operation. With the guest's meminfo now,
 * decide by measurement (did the guest's unnamed memory move by at least half the step since just
 * before it?); without it, count the step as done (the kernel acts on a request as soon as it
 * reads it).
 */
export function resolvePending(e: LedgerEntry, now?: Meminfo): LedgerEntry {
  if (!e.pending) return e;
  const p = e.pending;
  let done = true;
  let how = 'counted as done: the kernel acts on the request as soon as it reads it';
  const unnamedNow = now && unnamedKiB(now);
  const measured =
    // (finite: a measure that failed was written as null)
    Number.isFinite(p.unnamedBeforeKiB) && unnamedNow !== undefined
      ? { what: 'unnamed memory', moved: (unnamedNow - p.unnamedBeforeKiB!) * -Math.sign(p.signedKiB) }
      : Number.isFinite(p.memFreeBeforeKiB) && now?.MemFree !== undefined
        ? { what: 'MemFree', moved: (now.MemFree - p.memFreeBeforeKiB!) * Math.sign(p.signedKiB) }
        : undefined;
  if (measured) {
    done = measured.moved >= Math.abs(p.signedKiB) / 2;
    how = `guest ${measured.what} moved ${Math.round(measured.moved)} KiB since: ${done ? 'done' : 'the request never arrived'}`;
  }
  const unplugged = done ? Math.max(0, e.unpluggedKiB - p.signedKiB) : e.unpluggedKiB;
  const op: LedgerOperation = {
    time: new Date().toISOString(),
    askedKiB: p.signedKiB,
    recordedKiB: done ? -(unplugged - e.unpluggedKiB) : 0,
    reply: '',
    note: `interrupted at ${p.time} (umltop died during '${p.command}'); ${how}`,
  };
  const { pending: _p, ...rest } = e;
  return { ...rest, unpluggedKiB: unplugged, history: [...e.history, op] };
}

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)
      ? env.XDG_STATE_HOME
      : path.join(env.HOME ?? os.homedir(), '.local', 'state');
  return path.join(base, 'umltop');
}

export function sameBoot(a: BootIdentity, b: BootIdentity): boolean {
  return a.pid === b.pid && a.starttime === b.starttime && a.btime === b.btime;
}

export class Ledger {
  readonly dir: string;
  private cache = new Map<string, { mtimeMs: number; entry: LedgerEntry | undefined }>();

  constructor(env: NodeJS.ProcessEnv = process.env, dir?: string) {
    this.dir = dir ?? path.join(stateDir(env), 'ledger');
  }

  private files = new Map<string, string>();

  /** The entry's file (remembered: asked for every instance every tick, and a hash is not free). */
  fileFor(umlDir: string, umid: string): string {
    const key = `${umlDir}\0${umid}`;
    let file = this.files.get(key);
    if (file === undefined) {
      if (this.files.size > 4096) this.files.clear(); // many instances came and went
      file = this.fileName(umlDir, umid);
      this.files.set(key, file);
    }
    return file;
  }

  private fileName(umlDir: string, umid: string): string {
    const hash = crypto
      .createHash('sha256')
      .update(`${path.resolve(umlDir)}\0${umid}`)
      .digest('hex')
      .slice(0, 12);
    return path.join(this.dir, `${umid.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)}-${hash}.json`);
  }

  /** The entry for this boot of the instance; a different boot (or none) is a fresh zero entry. */
  read(umlDir: string, umid: string, identity: BootIdentity, meminfoNow?: Meminfo): LedgerEntry {
    const stored = this.readFile(this.fileFor(umlDir, umid));
    if (stored && sameBoot(stored.identity, identity)) return resolvePending(stored, meminfoNow);
    return { umid, umlDir, identity, unpluggedKiB: 0, history: [] };
  }

  /** Unplugged KiB for this boot, reading the file only when it changed (cheap enough every tick). */
  unpluggedKiB(umlDir: string, umid: string, identity: BootIdentity): number {
    const file = this.fileFor(umlDir, umid);
    let mtimeMs: number;
    // no file (the usual case: nothing unplugged) is an answer, not an exception: throwing one cost more than the stat
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st) return 0;
      mtimeMs = st.mtimeMs;
    } catch {
      return 0;
    }
    let cached = this.cache.get(file);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      cached = { mtimeMs, entry: this.readFile(file) };
      this.cache.set(file, cached);
    }
    return cached.entry && sameBoot(cached.entry.identity, identity) ? resolvePending(cached.entry).unpluggedKiB : 0;
  }

  /** Atomic replace: a crash leaves either the old file or the new one, never a torn one. */
  write(entry: LedgerEntry): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileFor(entry.umlDir, entry.umid);
    this.sweepTemp(file);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(entry, null, 1)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    try {
      const d = fs.openSync(this.dir, 'r');
      fs.fsyncSync(d);
      fs.closeSync(d);
    } catch {
      /* best effort */
    }
  }

  /** Temp files of writers that died mid-write (the real file is intact: rename is atomic). */
  private sweepTemp(file: string): void {
    const base = path.basename(file);
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      const m = n.startsWith(`${base}.`) ? /\.(\d+)\.tmp$/.exec(n) : null;
      if (!m || Number(m[1]) === process.pid) continue;
      try {
        process.kill(Number(m[1]), 0);
        continue;
      } catch {
        /* writer gone */
      }
      try {
        fs.unlinkSync(path.join(this.dir, n));
      } catch {
        /* raced */
      }
    }
  }

  private readFile(file: string): LedgerEntry | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const e = JSON.parse(text) as LedgerEntry;
      if (typeof e.unpluggedKiB !== 'number' || !e.identity || !Array.isArray(e.history)) throw new Error('bad shape');
      return e;
    } catch (err) {
      throw new Error(
        `ledger file ${file} is unreadable (${(err as Error).message}); move it aside to start this instance's ledger from zero`,
      );
    }
  }
}
