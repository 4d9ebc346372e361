// Every fuzz target (test/fuzz/targets.ts) with a short budget, and every input that once broke
// one (test/fixtures/fuzz/). The long campaign: `npm run fuzz -- --seconds N`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { savedFailures, TARGETS } from './targets.js';

const RUNS = Number(process.env.UMLTOP_FUZZ_RUNS ?? 150);
// a parser that takes longer than this on one input of a few KiB has a pathological case
const SLOW_MS = 250;

describe('hostile input: properties of every parser', () => {
  for (const target of TARGETS) {
    it(`${target.name}: ${RUNS} inputs, and every saved failure`, async () => {
      for (const input of savedFailures(target)) await target.check(input);
      let slowest = 0;
      let n = 0;
      await fc.assert(
        fc.asyncProperty(target.input, async (input) => {
          const t0 = performance.now();
          await target.check(input);
          // the first inputs load modules and warm the JIT: timed from the fourth on
          if (++n > 3) slowest = Math.max(slowest, performance.now() - t0);
        }),
        { numRuns: RUNS },
      );
      expect(slowest).toBeLessThan(SLOW_MS);
    });
  }
});
