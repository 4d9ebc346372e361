// clockTime: the TUI's HH:MM:SS, with one cached formatter per zone, says what toLocaleTimeString says.
import { describe, expect, it } from 'vitest';
import { clockTime } from '../../src/text/clock-time.js';

describe('clockTime', () => {
  it('matches toLocaleTimeString (en-GB, 24 h) across zones, midnight and DST changes', () => {
    const times = [0, 1_700_000_000_000, Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(2026, 10, 26, 23, 59, 59, 999)];
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', undefined]) {
      for (const t of times) expect(clockTime(t, zone), `${t} ${zone}`).toBe(new Date(t).toLocaleTimeString('en-GB', { hour12: false, timeZone: zone }));
    }
  });
});
