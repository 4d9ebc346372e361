// clockTime (HH:MM:SS without ICU for local and UTC) says what toLocaleTimeString says; naturalCompare orders names without ICU.
import { describe, expect, it } from 'vitest';
import { clockTime } from '../../src/text/clock-time.js';
import { naturalCompare } from '../../src/text/compare.js';

describe('clockTime', () => {
  it('matches toLocaleTimeString (en-GB, 24 h) across zones, midnight and DST changes', () => {
    const times = [
      0,
      1_700_000_000_000,
      Date.UTC(2026, 2, 29, 0, 59, 59),
      Date.UTC(2026, 2, 29, 1, 0, 0),
      Date.UTC(2026, 10, 26, 23, 59, 59, 999),
    ];
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', undefined]) {
      for (const t of times)
        expect(clockTime(t, zone), `${t} ${zone}`).toBe(
          new Date(t).toLocaleTimeString('en-GB', { hour12: false, timeZone: zone }),
        );
    }
  });
});

describe('naturalCompare', () => {
  it('orders names as read: case folded, numbers by value, total', () => {
    const names = ['vm10', 'vm2', 'VM1', 'a', 'vm02', 'vm2b', 'b-1', 'B', 'vm', ''];
    expect([...names].sort(naturalCompare)).toEqual(['', 'a', 'B', 'b-1', 'vm', 'VM1', 'vm02', 'vm2', 'vm2b', 'vm10']);
    for (const x of names)
      for (const y of names) expect(Math.sign(naturalCompare(x, y)) + Math.sign(naturalCompare(y, x))).toBe(0);
    expect(naturalCompare('x', 'x')).toBe(0);
  });
});
