// tuneHeap (called by bin/umltop before the bundle loads): in a fresh Node process, the young generation stays at its
// start size under a burst of surviving allocations; a full collection comes when the heap has grown, and not while
// it stays put.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { worthCompacting } from '../../src/runtime/v8-heap.js';

const heap = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/runtime/v8-heap.js')).href;
const bundle = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/bundle/umltop.mjs')).href;

interface Run {
  newSpaceMiB: number;
  majorGcsGrowing: number;
  majorGcsIdle: number;
}

function run(tune: boolean): Run {
  const script = `
    process.env.NODE_ENV = 'production';
    const { tuneHeap } = await import(${JSON.stringify(heap)});
    if (${tune}) tuneHeap(100);
    await import(${JSON.stringify(bundle)}); // as bin/umltop does: tuned first, then the bundle loads
    const v8 = await import('node:v8');
    const { PerformanceObserver, constants } = await import('node:perf_hooks');
    const majors = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(e.startTime); }).observe({ entryTypes: ['gc'] });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    await sleep(250); // the timer has seen the heap's low point
    // growing: a history that keeps growing for a while (survives scavenges, is promoted)
    const t0 = performance.now();
    const keep = [];
    for (let i = 0; i < 200; i++) { const a = []; for (let j = 0; j < 5000; j++) a.push({ j }); keep.push(a); }
    await sleep(400); // measurement windows (growing, then idle): counted, not waited on
    // idle: the same heap, nothing allocated
    const t1 = performance.now();
    await sleep(1100);
    const t2 = performance.now();
    await sleep(50); // let the observer deliver
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    const within = (a, b) => majors.filter((t) => t >= a && t < b).length;
    console.log(JSON.stringify({ newSpaceMiB: ns.space_size / 1048576, majorGcsGrowing: within(t0, t1), majorGcsIdle: within(t1, t2), kept: keep.length }));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim(),
  ) as Run;
}

describe('tuneHeap', () => {
  it('keeps the young generation small; collects fully after growth, not while the heap stays put', () => {
    const plain = run(false);
    const tuned = run(true);
    expect(plain.newSpaceMiB).toBeGreaterThan(4); // V8 grows it under this load
    expect(tuned.newSpaceMiB).toBeLessThanOrEqual(2);
    expect(tuned.majorGcsGrowing).toBeGreaterThanOrEqual(plain.majorGcsGrowing + 1);
    expect(tuned.majorGcsIdle).toBe(0); // an unconditional 100 ms timer would have collected ~10 times
  });

  it('worth compacting: growth over 2 MiB or a quarter of the low point, whichever is more', () => {
    const MiB = 1048576;
    expect(worthCompacting(7 * MiB, 6 * MiB)).toBe(false);
    expect(worthCompacting(8.5 * MiB, 6 * MiB)).toBe(true);
    expect(worthCompacting(24 * MiB, 20 * MiB)).toBe(false); // 4 MiB is under a quarter of 20
    expect(worthCompacting(25.5 * MiB, 20 * MiB)).toBe(true);
  });
});

describe('the launcher (bin/umltop run as a command)', () => {
  const BIN = path.resolve(import.meta.dirname, '../../bin/umltop');
  const probeRun = (cmd: string, args: string[]): { newSpaceMiB: number; execArgv: string[] } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-heap-'));
    const probe = path.join(dir, 'probe.mjs');
    fs.writeFileSync(
      probe,
      `import v8 from 'node:v8';
process.on('exit', () => { const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); process.stderr.write('NEWSPACE ' + s.space_size + '\\n' + 'EXECARGV ' + JSON.stringify(process.execArgv) + '\\n'); });`,
    );
    try {
      const r = spawnSync(cmd, args, {
        env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` },
        encoding: 'utf8',
      });
      expect(r.stdout).toMatch(/^umltop \d/);
      return {
        newSpaceMiB: Number(/NEWSPACE (\d+)/.exec(r.stderr)![1]) / 1048576,
        execArgv: JSON.parse(/EXECARGV (.*)/.exec(r.stderr)![1]!) as string[],
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it("gives the young generation 2 MiB semi-spaces; `node bin/umltop` has V8's 1 MiB", () => {
    expect(probeRun(BIN, ['--version']).newSpaceMiB).toBe(4); // two semi-spaces
    expect(probeRun(process.execPath, [BIN, '--version']).newSpaceMiB).toBe(2);
  });

  it('keeps the garbage collector on the main thread', () => {
    expect(probeRun(BIN, ['--version']).execArgv).toContain('--single-threaded-gc');
  });
});
