// The allocation-light parsers (lines, meminfo, vmstat, stat, pid stat, pid status) give exactly what the
// straightforward regex versions they replaced gave, on real fixtures and on thousands of
// mutations of them (junk, CRs, tabs, escapes, huge numbers, cut lines). The oracles below are
// those earlier versions, kept here as the specification.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lines } from '../../src/collectors/proc/parse-util.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { parseVmstat } from '../../src/collectors/proc/vmstat.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { parsePidStat } from '../../src/collectors/proc/pid-stat.js';
import { parsePidStatus } from '../../src/collectors/proc/pid-status.js';

const oLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.replace(/\r/g, '').trim())
    .filter((l) => l.length > 0);
const oUint = (w: string | undefined) => {
  if (w === undefined || !/^\d+$/.test(w)) return undefined;
  const n = Number(w);
  return Number.isSafeInteger(n) ? n : undefined;
};
function oMeminfo(text: string) {
  const value: Record<string, number> = Object.create(null);
  let ignored = 0;
  for (const line of oLines(text)) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?$/.exec(line);
    const n = m ? oUint(m[2]) : undefined;
    if (!m || n === undefined) {
      ignored++;
      continue;
    }
    value[m[1]!] = n;
  }
  return { value, ignored };
}
function oVmstat(text: string) {
  const value: Record<string, number> = Object.create(null);
  let ignored = 0;
  for (const line of oLines(text)) {
    const m = /^([a-z0-9_]+)\s+(\d+)$/.exec(line);
    const n = m ? oUint(m[2]) : undefined;
    if (!m || n === undefined) {
      ignored++;
      continue;
    }
    value[m[1]!] = n;
  }
  return { value, ignored };
}
const FIELDS: Record<string, string> = {
  VmRSS: 'vmRssKiB',
  RssAnon: 'rssAnonKiB',
  RssFile: 'rssFileKiB',
  RssShmem: 'rssShmemKiB',
  Threads: 'threads',
  voluntary_ctxt_switches: 'voluntaryCtxt',
  nonvoluntary_ctxt_switches: 'involuntaryCtxt',
  TracerPid: 'tracerPid',
  Seccomp: 'seccomp',
};
function oPidStatus(text: string) {
  const out: Record<string, number | undefined> = {};
  for (const line of oLines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    if (name === 'Uid') {
      out.uid = oUint(
        line
          .slice(colon + 1)
          .trim()
          .split(/\s+/)[0],
      );
      continue;
    }
    const key = FIELDS[name];
    if (!key) continue;
    const m = /^\s+(\d+)(?:\s+kB)?$/.exec(line.slice(colon + 1));
    if (m) out[key] = oUint(m[1]);
  }
  return out;
}
function oStatScalars(text: string) {
  const out: Record<string, number | undefined> = {};
  const names: Record<string, string> = {
    ctxt: 'ctxt',
    processes: 'processes',
    procs_running: 'procsRunning',
    procs_blocked: 'procsBlocked',
    intr: 'intrTotal',
    softirq: 'softirqTotal',
    btime: 'btime',
  };
  for (const line of oLines(text)) {
    const [key, ...words] = line.split(/\s+/);
    if (names[key!]) out[names[key!]!] = oUint(words[0]);
  }
  return out;
}

function oPidStat(text: string) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = oUint(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  const f = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const n = (field: number) => oUint(f[field - 3]);
  const needed = [4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 20, 22, 24].map(n);
  if (pid === undefined || !f[0] || needed.some((v) => v === undefined)) return undefined;
  const [
    ppid,
    pgrp,
    session,
    minflt,
    cminflt,
    majflt,
    cmajflt,
    utime,
    stime,
    cutime,
    cstime,
    numThreads,
    starttime,
    rssPages,
  ] = needed;
  return {
    pid,
    comm,
    state: f[0],
    ppid,
    pgrp,
    session,
    minflt,
    cminflt,
    majflt,
    cmajflt,
    utime,
    stime,
    cutime,
    cstime,
    numThreads,
    starttime,
    rssPages,
  };
}

const proc = path.resolve(import.meta.dirname, '../fixtures/proc/uml-7.2');
const host = path.resolve(import.meta.dirname, '../fixtures/host/uml-7.2-busy');
const read = (p: string) => fs.readFileSync(p, 'utf8');
const seeds = {
  meminfo: [read(`${proc}/busy/meminfo`), read(`${proc}/idle/meminfo`)],
  vmstat: [read(`${proc}/busy/vmstat`)],
  stat: [read(`${proc}/busy/stat`), read(`${proc}/idle/stat`)],
  status: fs
    .readdirSync(host)
    .filter((d) => /^\d+$/.test(d))
    .map((d) => read(`${host}/${d}/status`)),
  pidstat: [
    ...fs
      .readdirSync(host)
      .filter((d) => /^\d+$/.test(d))
      .map((d) => read(`${host}/${d}/stat`)),
    '4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 10 0 0 0 5 6 0 0 20 0 3 0 777 1000 250 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n',
  ],
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const junk = [
  ' ',
  '\t',
  '\r',
  '\r\n',
  '\n',
  ':',
  'kB',
  ' kB',
  'x',
  '-1',
  '99999999999999999999',
  '\u001b[31m',
  '\u00a0',
  '(',
  ')',
  '0',
  '\n\n',
  '  \t',
  'é',
];
function mutate(text: string, r: () => number): string {
  let t = text;
  for (let k = 0, n = 1 + Math.floor(r() * 6); k < n; k++) {
    const at = Math.floor(r() * (t.length + 1));
    const roll = r();
    if (roll < 0.5) t = t.slice(0, at) + junk[Math.floor(r() * junk.length)] + t.slice(at);
    else if (roll < 0.8) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 4));
    else t = t.slice(0, at); // cut off (a reply ending early)
  }
  return t;
}

describe('allocation-light parsers against their regex oracles', () => {
  it('agree on real fixtures and 2000 mutations of each', () => {
    for (const [kind, texts] of Object.entries(seeds)) {
      expect(texts.length, kind).toBeGreaterThan(0);
      for (const [i, base] of texts.entries()) {
        const r = rng(i + 1);
        for (let k = 0; k < 2000; k++) {
          const t = k === 0 ? base : mutate(base, r);
          const why = `${kind} #${i} mutation ${k} (seeded: replayable)`;
          expect(lines(t), why).toEqual(oLines(t));
          if (kind === 'meminfo') expect(parseMeminfo(t), why).toEqual(oMeminfo(t));
          if (kind === 'vmstat') expect(parseVmstat(t), why).toEqual(oVmstat(t));
          if (kind === 'status') expect(parsePidStatus(t), why).toEqual(oPidStatus(t));
          if (kind === 'pidstat') expect(parsePidStat(t), why).toEqual(oPidStat(t));
          if (kind === 'stat') expect(parseStat(t).value, why).toMatchObject(oStatScalars(t));
        }
      }
    }
  });
});
