// Turn `UMID|SOCKET` into a socket path, the way uml_mconsole does, plus umltop's --uml-dir list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultUmlDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME ?? os.homedir(), '.uml');
}

export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/**
 * A literal path (anything with a '/') is used as the socket (a directory gets '/mconsole');
 * otherwise `<dir>/<umid>/mconsole` for each uml dir in order, then `/tmp/uml/<umid>/mconsole`.
 */
export function resolveSocket(target: string, umlDirs: string[]): string {
  if (target.includes('/')) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(target);
    } catch {
      /* reported by the send as ENOENT */
    }
    return st?.isDirectory() ? path.join(target, 'mconsole') : target;
  }
  if (target === '' || target === '.' || target === '..') throw new ResolveError(`'${target}' is not a umid`);
  const tried: string[] = [];
  for (const dir of [...umlDirs, '/tmp/uml']) {
    const candidate = path.join(dir, target, 'mconsole');
    tried.push(candidate);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new ResolveError(`no instance '${target}': no socket at ${tried.join(', ')}`);
}
