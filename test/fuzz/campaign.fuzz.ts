// `npm run fuzz -- --seconds N`: each target of test/fuzz/targets.ts for its share of N seconds.
// Prints, per target, inputs tried, failures, the slowest input (from the fourth) and peak RSS; every failing input
// (shrunk) is written to test/fixtures/fuzz/, where the unit tier replays it.
import fs from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { saveFailure, TARGETS } from './targets.js';

const seconds = Number(process.env.UMLTOP_FUZZ_SECONDS ?? 60);
const report = process.env.UMLTOP_FUZZ_REPORT;

it(`fuzz campaign: ${seconds} s over ${TARGETS.length} targets`, async () => {
  const rows: Array<Record<string, string | number>> = [];
  const per = (seconds * 1000) / TARGETS.length;
  for (const target of TARGETS) {
    let tried = 0;
    let slowest = { ms: 0, size: 0 };
    let peak = process.memoryUsage.rss();
    const result = await fc.check(
      fc.asyncProperty(target.input, async (input) => {
        tried++;
        const t0 = performance.now();
        try {
          await target.check(input);
        } finally {
          const ms = performance.now() - t0;
          // the first inputs load modules and warm the JIT: timed from the fourth on
          if (tried > 3 && ms > slowest.ms) slowest = { ms, size: JSON.stringify(input ?? null)?.length ?? 0 };
          if (tried % 64 === 0) peak = Math.max(peak, process.memoryUsage.rss());
        }
      }),
      { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: per, markInterruptAsFailure: false },
    );
    const failures = result.failed ? 1 : 0;
    const saved = result.failed ? saveFailure(target, result.counterexample?.[0]) : undefined;
    rows.push({
      target: target.name,
      inputs: tried,
      failures,
      'slowest ms': Math.round(slowest.ms * 10) / 10,
      'slowest input chars': slowest.size,
      'peak RSS MiB': Math.round(peak / 2 ** 20),
      ...(saved ? { fixture: saved } : {}),
    });
  }
  console.table(rows);
  if (report) fs.writeFileSync(report, `${JSON.stringify({ seconds, rows }, null, 2)}\n`);
  expect(rows.filter((r) => r.failures).map((r) => `${r.target}: ${r.fixture}`)).toEqual([]);
}, 3_600_000);
