// The recording format: version 2 holds StoreInputs as they are; recordings made by the version-1
// format (positional args, captured from the build before the typed input, on real guests) still
// read and replay to the very documents that run printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine, LineError, RECORD_VERSION } from '../../src/recording/format.js';
import { checkReplayable, readRecording, RecordingError } from '../../src/recording/recorder.js';
import { replayBatch } from '../../src/recording/replay-batch.js';
import type { StoreInput } from '../../src/state/input.js';

const FIX = path.join(import.meta.dirname, '../fixtures/recordings');

async function replayed(file: string, format: 'json' | 'csv'): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d) => {
    text += d;
  });
  await replayBatch(readRecording(file), format, { stdout, stderr: new PassThrough() });
  return text;
}

/**
 * The documents as the build that made the fixture printed them: without the fields added since
 * (disk and network I/O; memory pressure, advice and headroom).
 */
function withoutAdded(jsonl: string): string {
  const added = ['guest.disks', 'guest.disks[].files', 'network', 'guest.pressure', 'advice', 'memory'];
  const vmstatAdded = ['stallsPerSec', 'directScanPerSec', 'refaultsPerSec', 'majorFaultsPerSec', 'swapInsPerSec'];
  return jsonl
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const doc = JSON.parse(line) as {
        instances: Array<{ guest: Record<string, unknown> | null; advice?: unknown }>;
        sources: Record<string, string>;
        memory?: unknown;
      };
      delete doc.memory;
      for (const i of doc.instances) {
        delete i.advice;
        if (!i.guest) continue;
        delete i.guest.pressure;
        for (const k of vmstatAdded) delete (i.guest.vmstat as Record<string, unknown>)[k];
        expect(i.guest.disks).toEqual([]); // no disk in that recording: none made up
        delete i.guest.disks;
        delete i.guest.diskBytesPerSec;
      }
      for (const k of added) delete doc.sources[k];
      return `${JSON.stringify(doc)}\n`;
    })
    .join('');
}

describe('recordings of the version-1 format', () => {
  it('a --batch recording replays to the JSON documents the recorded run printed, byte for byte (but for what was added since)', async () => {
    const out = await replayed(path.join(FIX, 'v1-batch.jsonl'), 'json');
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(withoutAdded(out)).toBe(fs.readFileSync(path.join(FIX, 'v1-batch.out.jsonl'), 'utf8'));
  });

  it('a TUI recording (no report ticks) replays as one report per recorded interval, from its first sample', async () => {
    const out = (await replayed(path.join(FIX, 'v1-tui.jsonl'), 'json')).split('\n').filter(Boolean);
    // samples from 363 ms to 3764 ms at the recorded 500 ms: 6 intervals, and the last line's state
    expect(out).toHaveLength(7);
    const docs = out.map((l) => JSON.parse(l));
    expect(docs.every((d) => d.instances.length > 0)).toBe(true);
    const walls = docs.map((d) => Date.parse(d.time));
    for (let i = 1; i < 6; i++) expect(walls[i]! - walls[i - 1]!).toBe(500);
  });

  it('every version-1 line becomes the same input as version 2 writes it', () => {
    const lines = readRecording(path.join(FIX, 'v1-tui.jsonl'));
    const ops = new Set(lines.flatMap((l) => (l.kind === 'input' ? [l.input.op] : [])));
    expect([...ops].sort()).toEqual(expect.arrayContaining(['discovery', 'hostTotals', 'orphans', 'sample']));
    for (const line of lines) expect(decodeLine(encodeLine(line))).toEqual(line);
    // each version-1 line, read here on its own (op + positional args), against what it decodes to
    const expected = (raw: { op: string; args: unknown[] }): unknown => {
      const a = raw.args;
      if (raw.op === 'meta') return { kind: 'meta', meta: a[0] };
      const input: Record<string, () => unknown> = {
        discovery: () => ({ op: 'discovery', found: a[0], ...(a[1] ? { dirs: a[1] } : {}) }),
        orphans: () => ({ op: 'orphans', orphans: a[0] }),
        hostTotals: () => ({ op: 'hostTotals', totals: a[0] }),
        sample: () => ({ op: 'sample', key: a[0], sample: a[1] }),
      };
      return { kind: 'input', input: input[raw.op]!() };
    };
    const seen = new Map<string, number>();
    for (const text of fs.readFileSync(path.join(FIX, 'v1-tui.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const raw = JSON.parse(text) as { op: string; args: unknown[]; mono: number; wall: number };
      const line = decodeLine(text);
      expect(line).toEqual({ v: RECORD_VERSION, mono: raw.mono, wall: raw.wall, ...(expected(raw) as object) });
      seen.set(raw.op, (seen.get(raw.op) ?? 0) + 1);
    }
    // the fixture holds every kind of line a TUI run records
    expect(Object.fromEntries(seen)).toEqual({ meta: 1, discovery: 2, orphans: 1, hostTotals: 8, sample: 16 });
  });
});

describe('version 2 lines', () => {
  const inputs: StoreInput[] = [
    { op: 'interval', ms: 2000 },
    { op: 'paused', key: '/u/a', paused: true },
    { op: 'panic', key: '/u/a', message: 'sysrq triggered crash' },
    { op: 'event', event: { type: 'action', severity: 'info', message: 'm' } },
    { op: 'remote', name: 'hostB', patch: { state: 'lost', reason: 'ssh exited 255' } },
    { op: 'discovery', found: [], dirs: ['/u'] },
  ];
  it('round-trip through their JSON', () => {
    for (const input of inputs) {
      const line = { v: RECORD_VERSION as typeof RECORD_VERSION, mono: 1.5, wall: 2, kind: 'input' as const, input };
      expect(decodeLine(encodeLine(line))).toEqual(line);
    }
  });

  it('a line with an unknown operation or a field of the wrong type is an error naming it', () => {
    const bad = (input: unknown) => () => decodeLine(JSON.stringify({ v: 2, mono: 1, wall: 2, kind: 'input', input }));
    expect(bad({ op: 'explode' })).toThrow(/unknown operation "explode"/);
    expect(bad({ op: 'sample', key: 7, sample: {} })).toThrow(/sample: key is not a string/);
    expect(bad({ op: 'interval', ms: '1000' })).toThrow(/interval: ms is not a number/);
    expect(() => decodeLine('{"v":3,"mono":1,"wall":2,"kind":"tick"}')).toThrow(LineError);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rec-')), 'bad.jsonl');
    fs.writeFileSync(
      file,
      `${fs.readFileSync(path.join(FIX, 'v1-tui.jsonl'), 'utf8').split('\n')[0]}\n{"v":2,"mono":1,"wall":2,"kind":"input","input":{"op":"interval","ms":"x"}}\n`,
    );
    expect(() => readRecording(file)).toThrow(RecordingError);
    expect(() => readRecording(file)).toThrow(/bad\.jsonl:2: interval: ms is not a number/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe('a hand-edited recording', () => {
  it('is refused before replay, naming the line the store cannot take', () => {
    const file = path.join(import.meta.dirname, '../fixtures/recordings/v1-tui.jsonl');
    const lines = readRecording(file);
    expect(() => checkReplayable(file, lines)).not.toThrow();
    const i = lines.findIndex((l) => l.kind === 'input' && l.input.op === 'sample');
    const bad = structuredClone(lines);
    const line = bad[i]!;
    if (line.kind !== 'input' || line.input.op !== 'sample') throw new Error('the fixture has no sample line');
    (line.input.sample as { guest: unknown }).guest = {}; // a guest sample without its fields
    expect(() => checkReplayable(file, bad)).toThrow(RecordingError);
    expect(() => checkReplayable(file, bad)).toThrow(
      new RegExp(`line ${i + 1} .*a 'sample' input umltop cannot apply`),
    );
  });
});
