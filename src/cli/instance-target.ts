// The live instance a subcommand acts on, found by umid in the uml dirs: a clear reason when it is
// not there or not alive, never a socket that turns out to be dead.
import { scanUmlDir } from '../collectors/discovery.js';

export interface Target {
  key: string;
  umid: string;
  umlDir: string;
  pid: number;
  socket: string;
}

export function findTarget(umid: string, umlDirs: string[]): Target | { error: string } {
  const found = umlDirs.flatMap((d) => scanUmlDir(d)).find((i) => i.umid === umid);
  if (!found) return { error: `no instance '${umid}' in ${umlDirs.join(', ')}` };
  if (found.dirState !== 'ok' || !found.pid) return { error: `${umid} is ${found.dirState}: ${found.reason}` };
  return { key: found.key, umid, umlDir: found.umlDir, pid: found.pid, socket: found.socket };
}
