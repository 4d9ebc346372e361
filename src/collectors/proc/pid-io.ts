// Host /proc/<pid>/io → bytes read and written (whole thread group). Needs ptrace access.
import { lines, uint } from './parse-util.js';

export interface PidIo {
  rchar?: number;
  wchar?: number;
  readBytes?: number;
  writeBytes?: number;
}

export function parsePidIo(text: string): PidIo {
  const out: PidIo = {};
  for (const line of lines(text)) {
    const [k, v] = line.split(/:\s*/);
    const n = uint(v);
    if (k === 'rchar') out.rchar = n;
    else if (k === 'wchar') out.wchar = n;
    else if (k === 'read_bytes') out.readBytes = n;
    else if (k === 'write_bytes') out.writeBytes = n;
  }
  return out;
}
