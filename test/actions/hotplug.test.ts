// Memory hotplug amounts and the ledger's pending steps, pure. On a real instance, through the real
// binary and the TUI: hotplug.integration.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmtMiB, HotplugRefused, parseAmount, stepDid } from '../../src/actions/hotplug.js';
import { type Meminfo, parseMeminfo, unnamedKiB } from '../../src/collectors/proc/meminfo.js';
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
    expect(r.pending).toBeUndefined();
    expect(r.history.at(-1)!.note).toMatch(/interrupted/);
    // with measurements: the guest's unnamed memory did not move, so the request never arrived
    const [before, after] = fixture('cut12-full');
    const e2 = { ...e, pending: { ...e.pending!, unnamedBeforeKiB: unnamedKiB(before) } };
    expect(resolvePending(e2, before).unpluggedKiB).toBe(8192);
    expect(resolvePending(e2, before).history.at(-1)!.note).toMatch(
      /unnamed memory moved 0 KiB since: the request never/,
    );
    expect(resolvePending(e2, after).unpluggedKiB).toBe(12288);
    // a measure that failed before the step (NaN, written to JSON as null) decides nothing
    const e4 = { ...e, pending: { ...e.pending!, unnamedBeforeKiB: null as unknown as number } };
    expect(resolvePending(e4, before).unpluggedKiB).toBe(12288);
    expect(resolvePending(e4, before).history.at(-1)!.note).toMatch(/counted as done/);
    // a ledger written by an older umltop (MemFree before the step) is still settled by it
    const e3 = { ...e, pending: { ...e.pending!, memFreeBeforeKiB: 50_000 } };
    expect(resolvePending(e3, { MemFree: 49_900 }).unpluggedKiB).toBe(8192);
    expect(resolvePending(e3, { MemFree: 45_900 }).unpluggedKiB).toBe(12288);
  });
});

// Real meminfo from a 7.2.7 guest of 128 MiB re-reading a 48 MiB disk beside 32 MiB in tmpfs
// (reclaim running), read just before and after `config mem=-12M` (full, then partial: the kernel
// takes free pages only) and `config mem=+200M` after seven cuts.
const fixture = (name: string) =>
  ['before', 'after'].map(
    (w) => parseMeminfo(fs.readFileSync(path.join(FIXTURES, `meminfo-${name}-${w}`), 'utf8')).value,
  ) as [Meminfo, Meminfo];
const FIXTURES = path.join(import.meta.dirname, '../fixtures/proc/uml-7.2/hotplug');
/** The seven cuts' unnamed deltas summed, measured in the same run (12316 + 12256 + ... + 1336). */
const SEVEN_CUTS_KIB = 54088;

describe("what a step did, by the guest's unnamed memory", () => {
  it('a full cut is all of the step, whatever reclaim did to MemFree meanwhile', () => {
    const [b, a] = fixture('cut12-full');
    expect(stepDid(-12288, unnamedKiB(b)!, unnamedKiB(a)!)).toBe(12288);
    // MemFree fell by a quarter of it: verified by MemFree, the step read as partial
    expect(b.MemFree! - a.MemFree!).toBeLessThan(12288 / 2);
  });

  it('a partial cut is what the kernel took, where MemFree even rose', () => {
    const [b, a] = fixture('cut12-partial');
    expect(stepDid(-12288, unnamedKiB(b)!, unnamedKiB(a)!)).toBe(1336);
    expect(a.MemFree!).toBeGreaterThan(b.MemFree!);
  });

  it('plugging back more than was taken gets back what seven cuts took, to 0.3 %', () => {
    const [b, a] = fixture('plugback');
    const got = stepDid(204800, unnamedKiB(b)!, unnamedKiB(a)!);
    expect(Math.abs(got - SEVEN_CUTS_KIB) / SEVEN_CUTS_KIB).toBeLessThan(0.003);
  });

  it('nothing moved, the wrong way, or not measured: nothing done', () => {
    expect(stepDid(-4096, 10_000, 10_000)).toBe(0);
    expect(stepDid(-4096, 10_000, 9_000)).toBe(0);
    expect(stepDid(4096, 10_000, 11_000)).toBe(0);
    expect(stepDid(-4096, 10_000, NaN)).toBe(0);
    // a per-cpu list's worth short is all of it; more short is what moved
    expect(stepDid(4096, 10_000, 6_200)).toBe(4096);
    expect(stepDid(4096, 10_000, 6_800)).toBe(3200);
    // a 64 MiB step the kernel stopped 5 MiB short of is recorded as what it did, not rounded up
    expect(stepDid(-65536, 0, 60_000)).toBe(60_000);
    expect(stepDid(-65536, 0, 65_300)).toBe(65536);
  });

  it('undefined without the lines it is made of', () => {
    const [b] = fixture('cut12-full');
    const { Active: _a, ...noActive } = b;
    expect(unnamedKiB(noActive)).toBeUndefined();
    const { SReclaimable: _r, SUnreclaim: _u, ...slabOnly } = b;
    expect(unnamedKiB(slabOnly)).toBe(unnamedKiB(b));
  });
});
