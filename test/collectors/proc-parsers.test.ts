// Guest /proc parsers on files captured from a real 7.2.7 guest, plus hostile input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInterrupts } from '../../src/collectors/proc/interrupts.js';
import { parseLoadavg } from '../../src/collectors/proc/loadavg.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { parseSoftirqs } from '../../src/collectors/proc/softirqs.js';
import { interruptsFromStat, parseStat, softirqsFromStat, totalJiffies } from '../../src/collectors/proc/stat.js';
import { unnamedIrqCounted } from '../../src/collectors/guest-irq-names.js';
import { parseUptime } from '../../src/collectors/proc/uptime.js';
import { parseVersion } from '../../src/collectors/proc/version.js';
import { parseVmstat } from '../../src/collectors/proc/vmstat.js';

const fixture = (kind: 'idle' | 'busy', file: string) =>
  fs.readFileSync(path.join(import.meta.dirname, '../fixtures/proc/uml-7.2', kind, file), 'utf8');

describe('meminfo', () => {
  it('reads every field of a real guest, in KiB, keyed as the kernel spells them', () => {
    const { value, ignored } = parseMeminfo(fixture('busy', 'meminfo'));
    expect(ignored).toBe(0);
    expect(value.MemTotal).toBe(83936);
    expect(value['Active(anon)']).toBeTypeOf('number');
    expect(value.Shmem).toBeGreaterThanOrEqual(30 * 1024); // the memory hog's tmpfs file
    expect(Object.keys(value).length).toBeGreaterThan(40);
  });

  it('ignores truncated, binary and escape-laden lines, keeps the good ones', () => {
    const { value, ignored } = parseMeminfo(
      'MemTotal: 100 kB\nMemFree:  \x1b[31m5 kB\nCached: 12\u0000\xff kB\nMemAvail\nHugePages_Total:       0\nExtra:   1 kB  junk\n',
    );
    expect(value).toEqual({ MemTotal: 100, HugePages_Total: 0 });
    expect(ignored).toBe(4);
  });

  it('refuses prototype keys and absurd numbers', () => {
    const { value } = parseMeminfo('__proto__: 5 kB\nBig: 99999999999999999999 kB\n');
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('stat', () => {
  it('reads the CPU split, ctxt, forks, running/blocked of a busy real guest', () => {
    const { value } = parseStat(fixture('busy', 'stat'));
    expect(value.cpu).toMatchObject({ user: 678, nice: 0, system: 3, idle: 0 });
    expect(value.cpuCount).toBe(1);
    expect(value).toMatchObject({
      ctxt: 4311,
      processes: 756,
      procsRunning: 2,
      procsBlocked: 0,
      intrTotal: 687,
      softirqTotal: 3067,
    });
  });

  it('an idle guest is mostly idle', () => {
    const cpu = parseStat(fixture('idle', 'stat')).value.cpu!;
    expect(cpu.idle / totalJiffies(cpu)).toBeGreaterThan(0.99);
  });

  it('fewer columns (old kernels) are zero-filled; junk in a column drops the line', () => {
    expect(parseStat('cpu 1 2 3 4\n').value.cpu).toMatchObject({ user: 1, idle: 4, steal: 0 });
    const bad = parseStat('cpu 1 2 x 4\nctxt 9\n');
    expect(bad.value.cpu).toBeUndefined();
    expect(bad.value.ctxt).toBe(9);
    expect(bad.ignored).toBe(1);
    expect(parseStat('cpu 1\n').value.cpu).toBeUndefined();
  });

  it('extra columns from a newer kernel are tolerated', () => {
    expect(parseStat('cpu 1 2 3 4 5 6 7 8 9 10 11 12\n').value.cpu).toMatchObject({ user: 1, guestNice: 10 });
  });

  it("counts per IRQ number and per softirq kind, named by the guest's own /proc/interrupts and /proc/softirqs", () => {
    const stat = parseStat(fixture('idle', 'stat')).value;
    expect(stat.intrByIrq).toHaveLength(64);
    expect(stat.intrByIrq![5]).toBe(34);
    const irqs = interruptsFromStat(parseInterrupts(fixture('idle', 'interrupts')).value, stat.intrByIrq!)!;
    // the fixtures were read a few requests apart: stat's mconsole count is the older one
    expect(irqs.map((l) => [l.irq, l.name, l.count])).toEqual([
      ['0', 'hr timer', 0],
      ['2', 'ubd', 0],
      ['5', 'mconsole', 34],
      ['10', 'random', 1],
      ['11', 'SIGCHLD', 0],
      ['20', 'console-write', 0],
      ['21', 'console', 0],
    ]);
    expect(irqs[2]!.chip).toBe('SIGIO');
    const soft = softirqsFromStat(
      parseSoftirqs(fixture('idle', 'softirqs')).value.map((l) => l.name),
      stat.softirqByKind!,
    )!;
    expect(soft).toContainEqual({ name: 'TIMER', count: 3691 });
    expect(soft).toContainEqual({ name: 'RCU', count: 2941 });
    expect(soft.reduce((n, l) => n + l.count, 0)).toBe(stat.softirqTotal);
  });

  it('lines /proc/stat does not count, or a mismatch, send umltop back to the files themselves', () => {
    const x86 = parseInterrupts(
      '           CPU0       CPU1\n  0:   10   20   IO-APIC   2-edge      timer\nNMI:    1    2   Non-maskable interrupts\n',
    ).value;
    expect(interruptsFromStat(x86, [30])).toBeUndefined();
    expect(interruptsFromStat(x86.slice(0, 1), [30])).toEqual([{ ...x86[0], count: 30 }]);
    expect(interruptsFromStat(parseInterrupts('  9:  5  SIGIO  late\n').value, [1, 2])).toBeUndefined();
    expect(softirqsFromStat(['HI', 'TIMER'], [1, 2, 3])).toBeUndefined();
    const junk = parseStat('intr 10 1 x 3\nsoftirq 5\n').value;
    expect(junk.intrTotal).toBe(10);
    expect(junk.intrByIrq).toBeUndefined();
    expect(junk.softirqByKind).toEqual([]);
  });

  it('an IRQ with no name that counts asks for /proc/interrupts again; one that stands still does not', () => {
    const named = new Set(['5']);
    expect(unnamedIrqCounted([0, 0, 0, 0, 0, 9], [0, 0, 0, 0, 0, 7], named)).toBe(false);
    expect(unnamedIrqCounted([0, 0, 4, 0, 0, 9], [0, 0, 4, 0, 0, 7], named)).toBe(false);
    expect(unnamedIrqCounted([0, 0, 5, 0, 0, 9], [0, 0, 4, 0, 0, 7], named)).toBe(true);
    expect(unnamedIrqCounted([0, 0, 1], undefined, named)).toBe(true);
  });
});

describe('interrupts', () => {
  it("reads UML's sparse interrupt table: host signal and device name split", () => {
    const { value, ignored } = parseInterrupts(fixture('idle', 'interrupts'));
    expect(ignored).toBe(0);
    expect(value.find((l) => l.name === 'mconsole')).toEqual({ irq: '5', count: 38, name: 'mconsole', chip: 'SIGIO' });
    expect(value.find((l) => l.name === 'hr timer')).toMatchObject({ irq: '0', chip: 'SIGALRM' });
    expect(value).toHaveLength(7);
  });

  it('sums per-CPU columns and keeps text lines like NMI / ERR', () => {
    const text =
      '           CPU0       CPU1\n  0:   10   20   IO-APIC   2-edge      timer\nNMI:    1    2   Non-maskable interrupts\nERR:          0\n';
    const { value } = parseInterrupts(text);
    expect(value[0]).toEqual({ irq: '0', count: 30, name: 'IO-APIC 2-edge timer' });
    expect(value[1]).toMatchObject({ irq: 'NMI', count: 3 });
    expect(value[2]).toMatchObject({ irq: 'ERR', count: 0, name: '' });
  });

  it('escape sequences a hostile guest puts in a device name are made visible; drops lines without counts', () => {
    const { value, ignored } = parseInterrupts(
      '  7:   5  SIGIO  evil\x1b]0;owned\x07\x1b[2Jname\n  8: garbage\ntruncated\n',
    );
    expect(value).toEqual([{ irq: '7', count: 5, chip: 'SIGIO', name: 'evil\\e]0;owned\\a\\e[2Jname' }]);
    expect(ignored).toBe(2);
  });
});

describe('softirqs, vmstat, loadavg, uptime, version', () => {
  it('softirqs of a real guest', () => {
    const { value } = parseSoftirqs(fixture('idle', 'softirqs'));
    expect(value.map((s) => s.name)).toEqual([
      'HI',
      'TIMER',
      'NET_TX',
      'NET_RX',
      'BLOCK',
      'IRQ_POLL',
      'TASKLET',
      'SCHED',
      'HRTIMER',
      'RCU',
    ]);
    expect(value.find((s) => s.name === 'RCU')!.count).toBeGreaterThan(0);
    expect(parseSoftirqs('  CPU0 CPU1\nTIMER: 1 2\nBAD: 1 x\n').value).toEqual([{ name: 'TIMER', count: 3 }]);
  });

  it('vmstat of a real guest has the counters umltop uses', () => {
    const { value } = parseVmstat(fixture('busy', 'vmstat'));
    for (const k of ['oom_kill', 'pgfault', 'pgmajfault', 'pswpin', 'pswpout']) expect(value[k]).toBeTypeOf('number');
    expect(parseVmstat('oom_kill 3\nbad line here\npgfault -1\n').value).toEqual({ oom_kill: 3 });
  });

  it('loadavg and uptime of a real guest; junk gives undefined, not NaN', () => {
    expect(parseLoadavg(fixture('busy', 'loadavg')).value).toMatchObject({
      load1: expect.any(Number),
      runnable: expect.any(Number),
      tasks: expect.any(Number),
    });
    expect(parseUptime(fixture('busy', 'uptime')).value!.seconds).toBeGreaterThan(0);
    expect(parseLoadavg('x y z').value).toBeUndefined();
    expect(parseUptime('').value).toBeUndefined();
    expect(parseUptime('12.5').value).toEqual({ seconds: 12.5, idleSeconds: undefined });
  });

  it('version: release and machine, escape sequences made visible', () => {
    expect(parseVersion(fixture('busy', 'version'))).toMatchObject({ release: '7.2.7', machine: 'x86_64' });
    expect(parseVersion('Linux \x1b[31mevil\x1b[0m 1.0 #1 x86_64').text).toBe('Linux \\e[31mevil\\e[0m 1.0 #1 x86_64');
  });
});
