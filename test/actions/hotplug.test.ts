// Memory hotplug amounts and the ledger's pending steps, pure. On a real instance, through the real
// binary and the TUI: hotplug.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { fmtMiB, HotplugRefused, parseAmount } from '../../src/actions/hotplug.js';
import { resolvePending, type LedgerEntry } from '../../src/state/ledger.js';

describe('amounts', () => {
  it('parses like the kernel: sign required, K/M/G, bytes without a unit', () => {
    expect(parseAmount('-64M')).toBe(-65536);
    expect(parseAmount('+128M')).toBe(131072);
    expect(parseAmount('-1G')).toBe(-1048576);
    expect(parseAmount('+512K')).toBe(512);
    expect(parseAmount('-1048576')).toBe(-1024);
    expect(parseAmount('-1.5G')).toBe(-1572864);
    for (const bad of ['64M', '-', '-x', '--64M', '-64Q', '+1'])
      expect(() => parseAmount(bad), bad).toThrow(HotplugRefused);
    expect(fmtMiB(-65536)).toBe('−64 MiB');
    expect(fmtMiB(-16)).toBe('−16 KiB');
  });

  it('a step left pending by a dead umltop is counted as done, and said so', () => {
    const e: LedgerEntry = {
      umid: 'x',
      umlDir: '/u',
      identity: { pid: 1, starttime: 2, btime: 3 },
      unpluggedKiB: 8192,
      history: [],
      pending: { time: 't', signedKiB: -4096, command: 'config mem=-4096K' },
    };
    const r = resolvePending(e);
    expect(r.unpluggedKiB).toBe(12288);
    // with measurements: MemFree did not move, so the request never arrived
    const e2 = { ...e, pending: { ...e.pending!, memFreeBeforeKiB: 50_000 } };
    expect(resolvePending(e2, 49_900).unpluggedKiB).toBe(8192);
    expect(resolvePending(e2, 45_900).unpluggedKiB).toBe(12288);
    expect(r.pending).toBeUndefined();
    expect(r.history.at(-1)!.note).toMatch(/interrupted/);
  });
});
