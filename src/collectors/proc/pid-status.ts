// Host /proc/<pid>/status → memory split and context switches (KiB for the Vm*/Rss* fields).
import { blankAt, digitsAt, isBlank, nonBlankAt } from './parse-util.js';

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

const FIELDS: [string, keyof PidStatus][] = [
  ['VmRSS', 'vmRssKiB'],
  ['RssAnon', 'rssAnonKiB'],
  ['RssFile', 'rssFileKiB'],
  ['RssShmem', 'rssShmemKiB'],
  ['Threads', 'threads'],
  ['voluntary_ctxt_switches', 'voluntaryCtxt'],
  ['nonvoluntary_ctxt_switches', 'involuntaryCtxt'],
  ['TracerPid', 'tracerPid'],
  ['Seccomp', 'seccomp'],
];

/**
 * Read once per process per sample: walks the ~55 lines in place (no split, no regex), taking
 * the wanted ones. A field is set from a line `Key:<blanks>digits[<blanks>kB]` (the last such
 * line wins); Uid from the first word after its colon.
 */
export function parsePidStatus(input: string): PidStatus {
  const text = input.includes('\r') ? input.replace(/\r/g, '') : input;
  const out: PidStatus = {};
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const a = nonBlankAt(text, start);
    let b = end;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--; // trim the end
    const colon = text.indexOf(':', a);
    start = end + 1;
    if (colon <= a || colon >= b) continue;
    if (colon - a === 3 && text.startsWith('Uid', a)) {
      const from = nonBlankAt(text, colon + 1);
      out.uid = digitsAt(text, from, Math.min(blankAt(text, from), b));
      continue;
    }
    let field: [string, keyof PidStatus] | undefined;
    for (const f of FIELDS)
      if (f[0].length === colon - a && text.startsWith(f[0], a)) {
        field = f;
        break;
      }
    if (!field) continue;
    const from = nonBlankAt(text, colon + 1);
    if (from === colon + 1) continue; // no blank after the colon
    const to = Math.min(blankAt(text, from), b);
    const n = digitsAt(text, from, to);
    if (n === undefined) continue;
    const unit = nonBlankAt(text, to);
    if (unit < b && (unit === to || b - unit !== 2 || !text.startsWith('kB', unit))) continue;
    out[field[1]] = n;
  }
  return out;
}
