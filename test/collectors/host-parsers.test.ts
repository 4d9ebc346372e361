// Host /proc/<pid> parsers on files captured from a real instance's processes, plus awkward names.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePidIo } from '../../src/collectors/proc/pid-io.js';
import { parsePidStat } from '../../src/collectors/proc/pid-stat.js';
import { parsePidStatus } from '../../src/collectors/proc/pid-status.js';

const dir = path.join(import.meta.dirname, '../fixtures/host/uml-7.2-busy');
const mainPid = fs.readFileSync(path.join(dir, 'main-pid'), 'utf8').trim();
const read = (pid: string, f: string) => fs.readFileSync(path.join(dir, pid, f), 'utf8');

describe('host /proc/<pid> of a real instance', () => {
  it('stat of the kernel process: session leader, 3 threads, times', () => {
    const s = parsePidStat(read(mainPid, 'stat'))!;
    expect(s).toMatchObject({
      pid: Number(mainPid),
      comm: 'linux.uml',
      session: Number(mainPid),
      pgrp: Number(mainPid),
      numThreads: 3,
    });
    expect(s.utime + s.stime).toBeGreaterThan(0);
  });

  it('its children are uml-userspace processes in the same session', () => {
    const kids = fs.readdirSync(dir).filter((n) => /^\d+$/.test(n) && n !== mainPid);
    expect(kids.length).toBeGreaterThan(0);
    for (const k of kids)
      expect(parsePidStat(read(k, 'stat'))).toMatchObject({ comm: 'uml-userspace', session: Number(mainPid) });
  });

  it('status: the RSS split and context switches', () => {
    const st = parsePidStatus(read(mainPid, 'status'));
    expect(st.rssShmemKiB).toBeGreaterThan(30_000);
    expect(st).toMatchObject({ threads: 3, voluntaryCtxt: expect.any(Number), involuntaryCtxt: expect.any(Number) });
  });

  it('io', () => {
    expect(parsePidIo(read(mainPid, 'io'))).toMatchObject({
      rchar: expect.any(Number),
      wchar: expect.any(Number),
      readBytes: expect.any(Number),
    });
  });
});

describe('awkward stat lines', () => {
  const tail = 'S 1 100 100 0 -1 0 11 2 3 4 50 60 7 8 20 0 3 0 9999 1 2 3';
  it('a comm with spaces and parentheses splits at the last ")"', () => {
    expect(parsePidStat(`100 (a) b (c)) ${tail}`)).toMatchObject({
      pid: 100,
      comm: 'a) b (c)',
      state: 'S',
      utime: 50,
      stime: 60,
      starttime: 9999,
    });
  });
  it('truncated or junk lines are undefined', () => {
    expect(parsePidStat('100 (x) S 1 2')).toBeUndefined();
    expect(parsePidStat('')).toBeUndefined();
    expect(parsePidStat(`abc (x) ${tail}`)).toBeUndefined();
  });
});
