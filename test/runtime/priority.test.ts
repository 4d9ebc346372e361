// The TUI's nice value: raised over an inherited 0, a configured one applied, an inherited one kept.
import { describe, expect, it } from 'vitest';
import { choosePriority, DEFAULT_TUI_NICE, type PriorityApi } from '../../src/runtime/priority.js';

function fakeApi(start: number, refuse?: string): PriorityApi & { nice: number } {
  const api: PriorityApi & { nice: number } = {
    nice: start,
    get: () => api.nice,
    set: (n: number) => {
      // the shape os.setPriority throws (seen as a user without CAP_SYS_NICE)
      if (refuse)
        throw Object.assign(new Error(`A system error occurred: uv_os_setpriority returned ${refuse}`), {
          code: 'ERR_SYSTEM_ERROR',
          syscall: 'uv_os_setpriority',
          info: { code: refuse, syscall: 'uv_os_setpriority' },
        });
      api.nice = n;
    },
  };
  return api;
}

describe('choosePriority', () => {
  it('raises the default 0 to DEFAULT_TUI_NICE and says so', () => {
    const api = fakeApi(0);
    expect(choosePriority(undefined, api)).toMatch(/running at nice -5 \(was 0\)/);
    expect(api.nice).toBe(DEFAULT_TUI_NICE);
  });

  it('keeps what it was started with (nice -n 10 umltop) when none is configured', () => {
    const api = fakeApi(10);
    expect(choosePriority(undefined, api)).toBe('running at nice 10, as started (config nice sets one)');
    expect(api.nice).toBe(10);
  });

  it('applies a configured value, 0 included', () => {
    const api = fakeApi(0);
    expect(choosePriority(0, api)).toBe('running at nice 0');
    expect(api.nice).toBe(0);
    expect(choosePriority(-10, api)).toMatch(/nice -10/);
    expect(api.nice).toBe(-10);
  });

  it('says what it lacks when not allowed, and throws anything else', () => {
    const api = fakeApi(0, 'EACCES');
    expect(choosePriority(undefined, api)).toBe('running at nice 0: nice -5 needs root or CAP_SYS_NICE');
    expect(api.nice).toBe(0);
    expect(() => choosePriority(-5, fakeApi(0, 'ESRCH'))).toThrow(/ESRCH/);
  });
});
