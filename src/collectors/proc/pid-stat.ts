// Host /proc/<pid>/stat → the fields umltop uses. The comm field may hold spaces and ')' itself,
// so the split happens at the LAST ')'.
import { uint } from './parse-util.js';

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

export function parsePidStat(text: string): PidStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = uint(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  const f = text.slice(close + 1).trim().split(/\s+/);
  // f[0] is field 3 (state); field N is f[N - 3].
  const n = (field: number) => uint(f[field - 3]);
  const needed = [4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 20, 22, 24].map(n);
  if (pid === undefined || !f[0] || needed.some((v) => v === undefined)) return undefined;
  const [ppid, pgrp, session, minflt, cminflt, majflt, cmajflt, utime, stime, cutime, cstime, numThreads, starttime, rssPages] = needed as number[];
  return { pid, comm, state: f[0], ppid: ppid!, pgrp: pgrp!, session: session!, minflt: minflt!, cminflt: cminflt!, majflt: majflt!, cmajflt: cmajflt!,
    utime: utime!, stime: stime!, cutime: cutime!, cstime: cstime!, numThreads: numThreads!, starttime: starttime!, rssPages: rssPages! };
}
