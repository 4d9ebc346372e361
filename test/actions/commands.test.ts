import { describe, expect, it } from 'vitest';
import { commandRisk, LADDER, SYSRQ } from '../../src/actions/commands.js';

describe('what mconsole commands do', () => {
  it('reads, writes and dangerous ones', () => {
    for (const c of ['version', 'help', 'proc meminfo', 'stack 1', 'config ubd0', 'sysrq t', 'sysrq', 'sysrq m'])
      expect(commandRisk(c), c).toBe('read');
    for (const c of ['log hello', 'go', 'sysrq s', 'sysrq 9']) expect(commandRisk(c), c).toBe('write');
    for (const c of [
      'halt',
      'reboot',
      'cad',
      'stop',
      'remove ubd1',
      'config ubd1=/x',
      'config mem=-64M',
      'sysrq b',
      'sysrq c',
      'sysrq o',
      'frobnicate',
    ])
      expect(commandRisk(c), c).toBe('dangerous');
  });

  it('sysrq letters are unique and described; the ladder goes gentlest first', () => {
    expect(new Set(SYSRQ.map((s) => s.letter)).size).toBe(SYSRQ.length);
    expect(LADDER.map((l) => l.step)).toEqual(['cad', 'halt', 'SIGTERM', 'SIGKILL']);
  });
});

describe('the sysrq letters a guest supports', () => {
  it('parses the help line of the real 7.2.7 guest', async () => {
    const { parseSysrqHelp } = await import('../../src/actions/commands.js');
    const line =
      'sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) memory-full-oom-kill(f) kill-all-tasks(i) thaw-filesystems(j) show-memory-usage(m) nice-all-RT-tasks(n) poweroff(o) show-registers(p) show-all-timers(q) sync(s) show-task-states(t) unmount(u) show-blocked-tasks(w) replay-kernel-logs(R) \n';
    const letters = parseSysrqHelp(line);
    expect(letters.map((l) => l.letter).join('')).toBe('0123456789bcefijmnopqstuwR');
    expect(letters.find((l) => l.letter === 't')).toMatchObject({
      risk: 'read',
      description: 'dump every task and its stack',
    });
    expect(letters.find((l) => l.letter === 'b')!.risk).toBe('dangerous');
    expect(letters.find((l) => l.letter === 'R')!.risk).toBe('read');
    expect(parseSysrqHelp('garbage \u001b[31m')).toEqual([]);
  });
});
