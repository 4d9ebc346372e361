// UML kernel processes found from the process table (their command lines say where they live).
// What the orphans among them are is InstanceFinder's to say.
import fs from 'node:fs';
import { parsePidStat } from './proc/pid-stat.js';
import { readProc, type ProcReader } from './proc-files.js';

export interface OrphanProcess {
  pid: number;
  comm: string;
  umid?: string;
  umlDir?: string;
  reason: string;
}

/** A UML kernel's main process as the process table shows it (its command line says where it lives). */
export interface UmlKernelProcess {
  pid: number;
  comm: string;
  args: string[];
  /** `umid=` and `uml_dir=` of its command line, when given. */
  umid?: string;
  umlDir?: string;
  session: number;
  starttime: number;
}

/**
 * Every UML kernel's main process on the host (the command line of a UML kernel, the leader of its
 * session). `skip`: pids not to look at; `notUml`: pids already seen not to be UML kernels (kept
 * across scans, so a scan reads only new processes' command lines; the caller clears it now and
 * then, as pids get reused).
 */
export function umlKernelProcesses(
  read: ProcReader = readProc,
  o: { skip?: Set<number>; notUml?: Set<number>; known?: ReadonlyMap<number, UmlKernelProcess> } = {},
): UmlKernelProcess[] {
  const out: UmlKernelProcess[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return out;
  }
  const notUml = o.notUml;
  if (notUml) {
    const live = new Set(pids.map(Number));
    for (const p of notUml) if (!live.has(p)) notUml.delete(p);
  }
  for (const p of pids) {
    const pid = Number(p);
    if (o.skip?.has(pid) || notUml?.has(pid)) continue;
    const was = o.known?.get(pid);
    if (was) {
      // a kernel seen before: the same process while its start time is (one read, not two)
      const stat = parsePidStat(read(`/proc/${pid}/stat`) ?? '');
      if (stat?.starttime === was.starttime && stat.state !== 'Z') {
        out.push(was);
        continue;
      }
    }
    const cmd = read(`/proc/${pid}/cmdline`);
    // an empty cmdline is a kernel thread or a zombie: never a UML kernel
    if (!cmd || !looksLikeUml(cmd.split('\0'))) {
      if (cmd !== undefined) notUml?.add(pid);
      continue;
    }
    const stat = parsePidStat(read(`/proc/${pid}/stat`) ?? '');
    if (!stat || stat.session !== pid || stat.state === 'Z') continue; // only each instance's main process
    const args = cmd.split('\0');
    const umid = args.find((a) => a.startsWith('umid='))?.slice(5);
    const umlDir = args.find((a) => a.startsWith('uml_dir='))?.slice(8);
    out.push({
      pid,
      comm: stat.comm,
      args,
      ...(umid ? { umid } : {}),
      ...(umlDir ? { umlDir } : {}),
      session: stat.session,
      starttime: stat.starttime,
    });
  }
  return out;
}

function looksLikeUml(args: string[]): boolean {
  const hasUmlArg = args.some((a) => /^(umid|uml_dir|ubd\d*|con\d*|ssl\d*|hostfs|mconsole)=/.test(a));
  const hasMem = args.some((a) => /^mem=\d+[KMG]?$/.test(a));
  return hasUmlArg && hasMem;
}
