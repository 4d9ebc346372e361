// The flight recorder on real instances: a recorded run replays to the same output, and the
// replay TUI shows the recorded instances with its replay keys.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRecording, RecordingError } from '../../src/recording/recorder.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let dir: string;
let tmux: Tmux | undefined;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rec-'));
  fleet = await Fleet.boot([{ umid: 'rec-idle' }, { umid: 'rec-cpu', workloads: ['cpu'] }]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

describe('flight recorder and replay', () => {
  it('a recorded --batch run replays to byte-identical JSON and CSV', async () => {
    const rec = path.join(dir, 'run.jsonl');
    const live = await runCli([
      '--batch',
      '-n',
      '4',
      '--json',
      '--interval',
      '0.5',
      '--uml-dir',
      fleet.umlDir,
      '--record',
      rec,
      '--notify-socket',
      path.join(dir, 'n1'),
    ]);
    expect(live.code).toBe(0);
    expect(live.stdout.trim().split('\n')).toHaveLength(4);
    const replayed = await runCli(['replay', rec, '--json']);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe(live.stdout);
    const docs = replayed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docs[3].instances.find((i: { umid: string }) => i.umid === 'rec-cpu').host.cpuPercent).toBeGreaterThan(30);
    // and a run that printed CSV replays to the same bytes
    const recCsv = path.join(dir, 'run-csv.jsonl');
    const liveCsv = await runCli(
      ['--batch', '-n', '4', '--csv', '--interval', '0.5', '--uml-dir', fleet.umlDir, '--record', recCsv].concat([
        '--notify-socket',
        path.join(dir, 'n2'),
      ]),
    );
    expect(liveCsv.code, liveCsv.stderr).toBe(0);
    expect(liveCsv.stdout.split('\n').filter((l) => /,rec-(idle|cpu),/.test(l))).toHaveLength(8);
    const csv = await runCli(['replay', recCsv, '--csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(liveCsv.stdout);
  });

  it('a torn last line (recorder killed mid-write) is dropped; garbage is a clear error naming the line', () => {
    const rec = path.join(dir, 'run.jsonl');
    const torn = path.join(dir, 'torn.jsonl');
    fs.writeFileSync(torn, `${fs.readFileSync(rec, 'utf8')}{"v":1,"op":"sam`);
    expect(readRecording(torn).length).toBe(readRecording(rec).length);
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, 'hello\nworld\n');
    expect(() => readRecording(bad)).toThrow(RecordingError);
    expect(() => readRecording(bad)).toThrow(/bad\.jsonl:1: not a JSON line/);
    const r = execFileSync('bash', ['-c', `node ${BIN} replay ${bad} --json; echo "rc=$?"`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.trim()).toBe('rc=2');
  });

  it('replay in a terminal: the recorded instances, replay keys in the footer and help, no write keys', async () => {
    const rec = path.join(dir, 'tui.jsonl');
    await runCli([
      '--batch',
      '-n',
      '6',
      '--json',
      '--interval',
      '0.5',
      '--uml-dir',
      fleet.umlDir,
      '--record',
      rec,
      '--notify-socket',
      path.join(dir, 'n2'),
    ]);
    tmux = new Tmux();
    tmux.start(`node ${BIN} replay ${rec}`, 110, 32, { TERM: 'xterm-256color' });
    // the whole frame, footer included (a capture can land between the writes of one frame)
    const s = await tmux.waitScreen(
      (l) => l.some((x) => /rec-cpu +running/.test(x)) && l.some((x) => /CPU · /.test(x)) && /\S/.test(l.at(-2) ?? ''),
      'the replayed frame',
    );
    expect(s.at(-2)).toMatch(/p replay/);
    expect(s.at(-2)).not.toMatch(/m memory/);
    tmux.keys('p');
    await tmux.waitScreen((l) => /replay paused/.test(l.at(-2)!), 'replay paused');
    tmux.keys('.');
    await tmux.waitScreen((l) => /replay paused \d+\/\d+s/.test(l.at(-2)!), 'a step');
    tmux.keys('q');
    await waitFor(() => tmux!.exitCode() !== undefined, 5000, 'exit');
    expect(tmux.exitCode()).toBe(0);
  });
});
