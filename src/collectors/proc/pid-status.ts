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
  const out: PidStatus = {};
  for (const line of lines(text)) {
    const m = /^([A-Za-z_]+):\s+(\d+)(?:\s+kB)?$/.exec(line);
    const key = m ? FIELDS[m[1]!] : undefined;
    if (key) out[key] = uint(m![2]);
    else if (line.startsWith('Uid:')) out.uid = uint(line.split(/\s+/)[1]);
  }
  return out;
}
