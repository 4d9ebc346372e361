// The host files behind a guest's disks: apparent and allocated size, and the space left on the
// filesystem that holds them (a full backing filesystem is a guest whose writes fail). Paths are
// read through the kernel process's own root and working directory (/proc/PID/root, /cwd), as
// the kernel opened them; refreshed every REFRESH_MS, as they change slowly.
import fs from 'node:fs';
import path from 'node:path';
import type { UbdFiles } from './guest-sample.js';

export type FileFacts =
  | { sizeBytes: number; allocatedBytes: number; fsSizeBytes: number; fsAvailBytes: number }
  | { error: string };

export const REFRESH_MS = 5000;

export class BackingFiles {
  private cache = new Map<string, { at: number; facts: FileFacts }>();

  constructor(
    private readonly pid: number,
    private readonly now: () => number,
  ) {}

  /** Facts for every file named in `ubd` (the COW file and its backing file alike), by path as named. */
  facts(ubd: Record<string, UbdFiles> | undefined): Record<string, FileFacts> | undefined {
    if (!ubd) return undefined;
    const paths = new Set<string>();
    for (const f of Object.values(ubd)) {
      if ('file' in f) paths.add(f.file);
      if ('backing' in f && f.backing) paths.add(f.backing);
    }
    if (!paths.size) return undefined;
    const t = this.now();
    const out: Record<string, FileFacts> = {};
    for (const p of paths) {
      let c = this.cache.get(p);
      if (!c || t - c.at >= REFRESH_MS) {
        c = { at: t, facts: this.stat(p) };
        this.cache.set(p, c);
      }
      out[p] = c.facts;
    }
    for (const p of this.cache.keys()) if (!paths.has(p)) this.cache.delete(p);
    return out;
  }

  private stat(file: string): FileFacts {
    const seen = path.isAbsolute(file) ? `/proc/${this.pid}/root${file}` : `/proc/${this.pid}/cwd/${file}`;
    for (const p of path.isAbsolute(file) ? [seen, file] : [seen]) {
      try {
        const st = fs.statSync(p);
        const fsst = fs.statfsSync(p);
        return {
          sizeBytes: st.size,
          allocatedBytes: st.blocks * 512,
          fsSizeBytes: fsst.blocks * fsst.bsize,
          fsAvailBytes: fsst.bavail * fsst.bsize,
        };
      } catch (e) {
        if (p === file || !path.isAbsolute(file))
          return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
      }
    }
    return { error: 'unreadable' };
  }
}
