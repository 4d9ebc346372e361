// /proc/uptime → seconds since boot and idle seconds.
import { lines, udec, type Parsed } from './parse-util.js';

export interface Uptime {
  seconds: number;
  idleSeconds?: number;
}

export function parseUptime(text: string): Parsed<Uptime | undefined> {
  const w = lines(text)[0]?.split(/\s+/) ?? [];
  const seconds = udec(w[0]);
  if (seconds === undefined) return { value: undefined, ignored: 1 };
  return { value: { seconds, idleSeconds: udec(w[1]) }, ignored: 0 };
}
