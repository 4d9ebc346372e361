// Host /proc/<pid>/stat → the fields umltop uses. The comm field may hold spaces and ')' itself,
// so the split happens at the LAST ')'.
import { digitsAt, isSpace } from './parse-util.js';

export interface PidStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  minflt: number;
  cminflt: number;
  majflt: number;
  cmajflt: number;
  /** Clock ticks (USER_HZ). */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  numThreads: number;
  /** Clock ticks after host boot; with pid, identifies one process (pids get recycled). */
  starttime: number;
  rssPages: number;
}

/** Word index after ')' (0 is field 3, state) → slot in the result's numbers; -1: not used. */
const SLOT = [-1, 0, 1, 2, -1, -1, -1, 3, 4, 5, 6, 7, 8, 9, 10, -1, -1, 11, -1, 12, -1, 13];
const nums = new Array<number>(14).fill(0);

/**
 * Read in place, without splitting: this runs for every thread of every instance every second, and
 * splitting made the collectors' most garbage. Same result as splitting the text after the last
 * ')' at white space (a test keeps that version).
 */
export function parsePidStat(text: string): PidStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  let a = 0;
  let b = open;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  const pid = digitsAt(text, a, b);
  if (pid === undefined) return undefined;
  let state = '';
  let word = 0;
  for (let i = close + 1; word < SLOT.length; ) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (word === 0) state = text.slice(start, i);
    else if (SLOT[word]! >= 0) {
      const n = digitsAt(text, start, i);
      if (n === undefined) return undefined;
      nums[SLOT[word]!] = n;
    }
    word++;
  }
  if (word < SLOT.length) return undefined; // cut short: a field umltop uses is missing
  const n = nums;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state,
    ppid: n[0]!,
    pgrp: n[1]!,
    session: n[2]!,
    minflt: n[3]!,
    cminflt: n[4]!,
    majflt: n[5]!,
    cmajflt: n[6]!,
    utime: n[7]!,
    stime: n[8]!,
    cutime: n[9]!,
    cstime: n[10]!,
    numThreads: n[11]!,
    starttime: n[12]!,
    rssPages: n[13]!,
  };
}
