// The host side of an instance sums its kernel process and that process's children (the guest's
// processes): CPU, faults, context switches and memory. Read through HostSource from files captured
// from a real 7.2 instance (test/fixtures/host/uml-7.2-busy), and checked against the same files'
// fields split by hand, so that two figures swapped in a sum (minor for major faults, a child's for
// the kernel's) are seen.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostSource } from '../../src/collectors/host-source.js';

const dir = path.join(import.meta.dirname, '../fixtures/host/uml-7.2-busy');
const mainPid = fs.readFileSync(path.join(dir, 'main-pid'), 'utf8').trim();
/** A pid no process can have (above the largest pid_max), so nothing read outside the reader exists. */
const PID = 4_194_305;
const file = (pid: string, f: string) => {
  const p = path.join(dir, pid, f);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
};
const kids = fs.readdirSync(dir).filter((n) => /^\d+$/.test(n) && n !== mainPid);

/** stat's fields after the comm, by their number in proc(5) (state is 3). */
const statField = (pid: string, n: number) => Number(file(pid, 'stat')!.split(') ')[1]!.split(' ')[n - 3]);
const statusNumber = (pid: string, key: string) =>
  Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(file(pid, 'status')!)![1]);
const sum = (f: (pid: string) => number) => kids.reduce((s, k) => s + f(k), 0);

/** /proc as HostSource reads it: PID is the captured kernel process, its children the captured ones. */
function read(p: string): string | undefined {
  const m = /^\/proc\/(\d+)\/(.+)$/.exec(p);
  if (!m) return undefined;
  const pid = Number(m[1]) === PID ? mainPid : m[1]!;
  if (m[2] === `task/${PID}/children`) return `${kids.join(' ')} `;
  if (m[2] === `task/${PID}/status`) return file(mainPid, 'status');
  return file(pid, m[2]!);
}

describe('HostSource sums a real instance and its processes', () => {
  it('CPU, minor and major faults, context switches and RSS: the kernel process plus each child', () => {
    expect(kids.length).toBeGreaterThan(2);
    // the capture tells the two fault counts apart: its children have minor faults and no major ones
    expect(sum((k) => statField(k, 10))).toBeGreaterThan(sum((k) => statField(k, 12)));
    const h = new HostSource(PID, undefined, read, () => 1000, { io: false }).sample();
    const [minflt, cminflt, majflt, cmajflt, utime, stime, cutime, cstime] = [10, 11, 12, 13, 14, 15, 16, 17].map((n) =>
      statField(mainPid, n),
    );
    expect(h).toMatchObject({
      pid: PID,
      children: kids.length,
      cpuTicks: utime! + stime! + cutime! + cstime! + sum((k) => statField(k, 14) + statField(k, 15)),
      minorFaults: minflt! + cminflt! + sum((k) => statField(k, 10)),
      majorFaults: majflt! + cmajflt! + sum((k) => statField(k, 12)),
      voluntaryCtxt:
        statusNumber(mainPid, 'voluntary_ctxt_switches') + sum((k) => statusNumber(k, 'voluntary_ctxt_switches')),
      involuntaryCtxt:
        statusNumber(mainPid, 'nonvoluntary_ctxt_switches') + sum((k) => statusNumber(k, 'nonvoluntary_ctxt_switches')),
      rssKiB: statusNumber(mainPid, 'VmRSS') + sum((k) => statusNumber(k, 'RssAnon')),
      rssAnonKiB: statusNumber(mainPid, 'RssAnon'),
      rssShmemKiB: statusNumber(mainPid, 'RssShmem'),
    });
  });
});
