// Host /proc/<pid>/status → memory split and context switches (KiB for the Vm*/Rss* fields).
import { lines, uint } from './parse-util.js';

export interface PidStatus {
  vmRssKiB?: number;
  rssAnonKiB?: number;
  rssFileKiB?: number;
  rssShmemKiB?: number;
  threads?: number;
  voluntaryCtxt?: number;
  involuntaryCtxt?: number;
  tracerPid?: number;
  seccomp?: number;
  /** Real uid (first field of Uid:). */
  uid?: number;
}

const FIELDS: Record<string, keyof PidStatus> = {
  VmRSS: 'vmRssKiB', RssAnon: 'rssAnonKiB', RssFile: 'rssFileKiB', RssShmem: 'rssShmemKiB', Threads: 'threads',
  voluntary_ctxt_switches: 'voluntaryCtxt', nonvoluntary_ctxt_switches: 'involuntaryCtxt', TracerPid: 'tracerPid', Seccomp: 'seccomp',
};

export function parsePidStatus(text: string): PidStatus {
  // Read once per thread per sample: look up each line's key before any regex work.
  const out: PidStatus = {};
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    if (name === 'Uid') { out.uid = uint(line.slice(colon + 1).trim().split(/\s+/)[0]); continue; }
    const key = FIELDS[name];
    if (!key) continue;
    const m = /^\s+(\d+)(?:\s+kB)?$/.exec(line.slice(colon + 1));
    if (m) out[key] = uint(m[1]);
  }
  return out;
}
