// mconsole `version` → "sysname nodename release #build date machine".
import { sanitizeLine } from '../../text/sanitize.js';

export interface GuestVersion {
  text: string;
  release?: string;
  machine?: string;
}

export function parseVersion(text: string): GuestVersion {
  const clean = sanitizeLine(text).trim();
  const m = /^(\S+) (\S+) (\S+) (.*) (\S+)$/.exec(clean);
  return m ? { text: clean, release: m[3], machine: m[5] } : { text: clean };
}
