// tuneHeap (called by bin/umltop before the bundle loads): in a fresh Node process, the young generation stays at its
// start size under a burst of surviving allocations, and full collections come on the timer.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const heap = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/runtime/heap.js')).href;
const bundle = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/bundle/umltop.mjs')).href;

function run(tune: boolean): { newSpaceMiB: number; majorGcs: number } {
  const script = `
    process.env.NODE_ENV = 'production';
    const { tuneHeap } = await import(${JSON.stringify(heap)});
    if (${tune}) tuneHeap(200);
    await import(${JSON.stringify(bundle)}); // as bin/umltop does: tuned first, then the bundle loads
    const v8 = await import('node:v8');
    const { PerformanceObserver, constants } = await import('node:perf_hooks');
    let majorGcs = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs++; }).observe({ entryTypes: ['gc'] });
    // a history that keeps growing for a while (survives scavenges), then idle time
    const keep = [];
    for (let i = 0; i < 200; i++) { const a = []; for (let j = 0; j < 5000; j++) a.push({ j }); keep.push(a); }
    await new Promise((r) => setTimeout(r, 1100));
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ newSpaceMiB: ns.space_size / 1048576, majorGcs, kept: keep.length }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

describe('tuneHeap', () => {
  it('keeps the young generation small and collects fully on its timer', () => {
    const plain = run(false);
    const tuned = run(true);
    expect(plain.newSpaceMiB).toBeGreaterThan(4); // V8 grows it under this load
    expect(tuned.newSpaceMiB).toBeLessThanOrEqual(2);
    expect(tuned.majorGcs).toBeGreaterThanOrEqual(plain.majorGcs + 4); // every 200 ms for 1.1 s
  });
});
