import { describe, expect, it } from 'vitest';
import { commandRisk, LADDER, SYSRQ } from '../../src/actions/commands.js';

describe('what mconsole commands do', () => {
  it('reads, writes and dangerous ones', () => {
    for (const c of ['version', 'help', 'proc meminfo', 'stack 1', 'config ubd0', 'sysrq t', 'sysrq', 'sysrq m']) expect(commandRisk(c), c).toBe('read');
    for (const c of ['log hello', 'go', 'sysrq s', 'sysrq 9']) expect(commandRisk(c), c).toBe('write');
    for (const c of ['halt', 'reboot', 'cad', 'stop', 'remove ubd1', 'config ubd1=/x', 'config mem=-64M', 'sysrq b', 'sysrq c', 'sysrq o', 'frobnicate']) expect(commandRisk(c), c).toBe('dangerous');
  });

  it('sysrq letters are unique and described; the ladder goes gentlest first', () => {
    expect(new Set(SYSRQ.map((s) => s.letter)).size).toBe(SYSRQ.length);
    expect(LADDER.map((l) => l.step)).toEqual(['cad', 'halt', 'SIGTERM', 'SIGKILL']);
  });
});
