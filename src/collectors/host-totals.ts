// Host-wide totals for the header: CPU from /proc/stat deltas, memory from /proc/meminfo, load
// from the kernel, read with umltop's own parsers (systeminformation runs a child process per
// call: README, Dependencies).
import os from 'node:os';
import { readProc, type ProcReader } from './proc-files.js';
import { parseMeminfo } from './proc/meminfo.js';
import { parseStat, totalJiffies, type CpuJiffies } from './proc/stat.js';

export interface HostTotals {
  at: number;
  cpuPercent?: number;
  cpus: number;
  memTotalKiB?: number;
  memAvailableKiB?: number;
  load: [number, number, number];
  /** Host PSI memory, avg10 % (absent where the kernel has no PSI). */
  psiMemory?: { some: number; full: number };
}

/** /proc/pressure/memory: `some avg10=0.00 avg60=...` and `full avg10=...`; undefined unless both read. */
export function parsePsiAvg10(text: string | undefined): { some: number; full: number } | undefined {
  const avg = (kind: string) => {
    const m = new RegExp(`^${kind} avg10=(\\d+(?:\\.\\d+)?)\\b`, 'm').exec(text ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const some = avg('some');
  const full = avg('full');
  return some !== undefined && full !== undefined && some <= 100 && full <= 100 ? { some, full } : undefined;
}

export class HostTotalsSource {
  private prev: CpuJiffies | undefined;
  constructor(
    private readonly read: ProcReader = readProc,
    private readonly now: () => number = () => performance.now(),
  ) {}

  sample(): HostTotals {
    const cpu = parseStat(this.read('/proc/stat') ?? '').value.cpu;
    let cpuPercent: number | undefined;
    if (cpu && this.prev) {
      const total = totalJiffies(cpu) - totalJiffies(this.prev);
      const idle = cpu.idle + cpu.iowait - this.prev.idle - this.prev.iowait;
      if (total > 0) cpuPercent = Math.round(((total - idle) / total) * 1000) / 10;
    }
    if (cpu) this.prev = cpu;
    const mem = parseMeminfo(this.read('/proc/meminfo') ?? '').value;
    const [l1, l5, l15] = os.loadavg();
    const psi = parsePsiAvg10(this.read('/proc/pressure/memory'));
    return {
      at: this.now(),
      cpuPercent,
      cpus: os.availableParallelism(),
      memTotalKiB: mem.MemTotal,
      memAvailableKiB: mem.MemAvailable,
      load: [round2(l1!), round2(l5!), round2(l15!)],
      ...(psi ? { psiMemory: psi } : {}),
    };
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
