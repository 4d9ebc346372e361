// A kernel process's host counters as HostSource reports them, for store tests that need a host
// side but test the guest's: one process, its threads and a child, every size 1 KiB.
import type { HostCounters } from '../../src/collectors/host-source.js';

export const hostCounters = (o: { at: number; pid: number; ticks: number; state?: string }): HostCounters => ({
  at: o.at,
  pid: o.pid,
  starttime: 1,
  state: o.state ?? 'R',
  cpuTicks: o.ticks,
  minorFaults: 0,
  majorFaults: 0,
  voluntaryCtxt: 0,
  involuntaryCtxt: 0,
  threads: 3,
  children: 1,
  rssKiB: 1,
  rssShmemKiB: 1,
  rssAnonKiB: 1,
  rssFileKiB: 1,
});
