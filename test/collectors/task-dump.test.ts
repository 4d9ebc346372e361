// The sysrq t parser on a dump captured from a real 7.2.7 guest's console log (a shell on con1 and
// a dd loop on ubdb), plus lines cut short and hostile names.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byConcern, parseTaskDump, taskCount } from '../../src/collectors/proc/task-dump.js';

const dump = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/proc/uml-7.2/sysrq-t.txt'), 'utf8');

describe('sysrq t dump', () => {
  it('reads every task of the dump, running ones included, with where each waits', () => {
    const { tasks, ignored } = parseTaskDump(dump);
    expect(tasks.length).toBe((dump.match(/^task:/gm) ?? []).length);
    expect(ignored).toBe(0);
    expect(tasks.find((t) => t.pid === 1)).toMatchObject({ name: 'init', state: 'S', ppid: 0, tgid: 1 });
    // a running task's line says "state:R  running task     stack:0"
    expect(tasks.filter((t) => t.state === 'R').map((t) => t.name)).toEqual(['init', 'cut']);
    expect(tasks.find((t) => t.name === 'sh')).toMatchObject({ ppid: 1, state: 'S' });
    expect(tasks.find((t) => t.name === 'kthreadd')?.waitsIn).toBe('kthreadd');
    for (const t of tasks) expect(t.waitsIn ?? '').not.toMatch(/^(__schedule|schedule)$/);
  });

  it('a task whose name holds control characters or a newline is a task, named as the guest wrote it', () => {
    // captured from a real guest (workload `hostile`: shells that wrote these names to /proc/self/comm)
    const hostile = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/proc/uml-7.2/hostile/sysrq-t'), 'utf8');
    const { tasks, ignored } = parseTaskDump(hostile);
    expect(ignored).toBe(0);
    const named = tasks.filter((t) => t.ppid === 1 && t.name !== 'sleep').map((t) => t.name);
    expect(named).toEqual([
      'x\u001b]0;pwned\u0007',
      'clr\u001b[2J',
      'nl\nname',
      'bidi\u202etxt',
      'tab\tdel\u007f',
      'c1\u009b31m',
    ]);
    // every `task:` line is a task; the newline's second half is the same task
    expect(tasks.length).toBe((hostile.match(/task:/g) ?? []).length);
  });

  it('puts uninterruptible tasks first; a line cut short is no task', () => {
    const d = 'task:dd              state:D stack:0     pid:900   tgid:900   ppid:1      flags:0x0\n';
    const { tasks } = parseTaskDump(
      `${dump}\n${d}task:ev\u001b]0;x   state:S stack:0 pid:901 ppid:1\ntask:half state:S sta`,
    );
    expect(byConcern(tasks)[0]).toMatchObject({ pid: 900, state: 'D', name: 'dd' });
    expect(tasks.find((t) => t.pid === 901)?.name).toBe('ev\u001b]0;x');
    expect(tasks.some((t) => t.name === 'half')).toBe(false);
    expect(parseTaskDump('garbage\n\u0000\u0007\n').tasks).toEqual([]);
    // then the guest's programs, kernel threads last
    const order = byConcern(parseTaskDump(dump).tasks);
    expect(order[0]!.pid).toBe(1);
    const firstKernel = order.findIndex((t) => t.ppid === 2 || t.pid === 2);
    expect(order.slice(firstKernel).every((t) => t.ppid === 2 || t.pid === 2)).toBe(true);
    expect(order.slice(0, firstKernel).map((t) => t.name)).toContain('sh');
  });

  it("counts the guest's tasks from loadavg", () => {
    expect(taskCount('0.00 0.01 0.00 1/39 850\n')).toBe(39);
    expect(taskCount('nonsense')).toBeUndefined();
  });
});
