// The live instance a subcommand acts on, found by umid in the uml dirs: a clear reason when it is
// not there or not alive, never a socket that turns out to be dead.
import { findInstancesOnce } from '../collectors/instance-finder.js';
import { MconsoleClient } from '../mconsole/client.js';

export interface Target {
  key: string;
  umid: string;
  umlDir: string;
  pid: number;
  socket: string;
}

/** `processTable`: also the uml dirs UML kernels in the process table live in (no --uml-dir given). */
export function findTarget(umid: string, o: { umlDirs: string[]; processTable?: boolean }): Target | { error: string } {
  const all = findInstancesOnce(o.umlDirs, o).filter((i) => i.umid === umid);
  const found = all.find((i) => i.dirState === 'ok') ?? all[0];
  if (!found)
    return {
      error: `no instance '${umid}' in ${o.umlDirs.join(', ')}${o.processTable ? ' or the process table' : ''}`,
    };
  if (found.dirState !== 'ok' || !found.pid) return { error: `${umid} is ${found.dirState}: ${found.reason}` };
  return { key: found.key, umid, umlDir: found.umlDir, pid: found.pid, socket: found.socket };
}

/** The target and a client for it (at least 2 s per request: these commands ask a few at a time). */
export function openTarget(
  umid: string,
  o: { umlDirs: string[]; processTable?: boolean; timeoutMs: number },
  label: string,
): { target: Target; client: MconsoleClient } | { error: string } {
  const target = findTarget(umid, o);
  if ('error' in target) return target;
  return { target, client: new MconsoleClient(target.socket, { timeoutMs: Math.max(o.timeoutMs, 2000), label }) };
}
