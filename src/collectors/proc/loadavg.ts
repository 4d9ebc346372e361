// /proc/loadavg → load averages and runnable/total tasks.
import { lines, udec, uint, type Parsed } from './parse-util.js';

export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
  runnable?: number;
  tasks?: number;
  lastPid?: number;
}

export function parseLoadavg(text: string): Parsed<Loadavg | undefined> {
  const first = lines(text)[0];
  const w = first?.split(/\s+/) ?? [];
  const [l1, l5, l15] = [udec(w[0]), udec(w[1]), udec(w[2])];
  if (l1 === undefined || l5 === undefined || l15 === undefined) return { value: undefined, ignored: 1 };
  const rt = /^(\d+)\/(\d+)$/.exec(w[3] ?? '');
  return {
    value: { load1: l1, load5: l5, load15: l15, runnable: uint(rt?.[1]), tasks: uint(rt?.[2]), lastPid: uint(w[4]) },
    ignored: 0,
  };
}
