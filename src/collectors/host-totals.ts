// Host-wide totals for the header, via systeminformation.
import os from 'node:os';
import si from 'systeminformation';

export interface HostTotals {
  at: number;
  cpuPercent?: number;
  cpus: number;
  memTotalKiB?: number;
  memAvailableKiB?: number;
  load: [number, number, number];
}

export async function sampleHostTotals(now: () => number = () => performance.now()): Promise<HostTotals> {
  const [load, mem] = await Promise.all([si.currentLoad().catch(() => undefined), si.mem().catch(() => undefined)]);
  const [l1, l5, l15] = os.loadavg();
  return {
    at: now(),
    cpuPercent: load ? round1(load.currentLoad) : undefined,
    cpus: os.availableParallelism(),
    memTotalKiB: mem ? Math.round(mem.total / 1024) : undefined,
    memAvailableKiB: mem ? Math.round(mem.available / 1024) : undefined,
    load: [round2(l1!), round2(l5!), round2(l15!)],
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
