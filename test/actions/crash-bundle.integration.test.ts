// Crash bundles on real instances: asked for, and written automatically on an incident.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/runtime/clock.js';
import { bundleOnIncidents } from '../../src/actions/incident-bundles.js';
import { Poller } from '../../src/collectors/poller.js';
import { Store } from '../../src/state/store.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let state: string;
beforeAll(async () => {
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-state-'));
  fleet = await Fleet.boot([{ umid: 'cb-live' }, { umid: 'cb-hung' }]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
});

const summary = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));

describe('crash bundles', () => {
  it('umltop bundle on a live instance: guest dumps, host threads, history, and a summary listing them', async () => {
    const r = await runCli(['bundle', '--uml-dir', fleet.umlDir, 'cb-live'], { env: { XDG_STATE_HOME: state } });
    expect(r.code).toBe(0);
    const dir = r.stdout.split('\n')[0]!;
    expect(dir.startsWith(path.join(state, 'umltop', 'bundles', 'cb-live-'))).toBe(true);
    const s = summary(dir);
    expect(s.files.map((f: { name: string }) => f.name)).toEqual([
      'sysrq-t.txt',
      'sysrq-w.txt',
      'sysrq-m.txt',
      'proc-meminfo.txt',
      'proc-interrupts.txt',
      'host-threads.txt',
      'host-children.txt',
      'history.json',
      'events.json',
    ]);
    for (const f of s.files) expect(fs.existsSync(path.join(dir, f.name)), f.name).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'sysrq-t.txt'), 'utf8')).toMatch(/sysrq: Show State|task:/);
    expect(fs.readFileSync(path.join(dir, 'proc-meminfo.txt'), 'utf8')).toMatch(/MemTotal: +\d+ kB/);
    expect(fs.readFileSync(path.join(dir, 'host-threads.txt'), 'utf8')).toMatch(
      /=== thread \d+ .*\n--- status ---\nName:/,
    );
    expect(r.stdout).toMatch(/ok +host-threads\.txt/);
  });

  it('a SIGSTOPped instance: written automatically when it turns unresponsive; guest files say why they are empty', async () => {
    const store = new Store(systemClock, { intervalMs: 500 });
    const poller = new Poller({
      sink: store,
      clock: systemClock,
      umlDirs: [fleet.umlDir],
      intervalMs: 500,
      watch: false,
    });
    const stop = bundleOnIncidents(store, { env: { XDG_STATE_HOME: state } });
    poller.start();
    const hung = fleet.get('cb-hung');
    try {
      await waitFor(
        () => [...store.records.values()].some((r) => r.umid === 'cb-hung' && r.guest?.uptimeSeconds !== undefined),
        10_000,
        'cb-hung sampled with its guest',
      );
      process.kill(hung.pid, 'SIGSTOP');
      await waitFor(
        () => store.recentEvents(100).some((e) => e.umid === 'cb-hung' && e.data?.bundle),
        15_000,
        'an automatic bundle',
      );
      const e = store.recentEvents(100).find((x) => x.umid === 'cb-hung' && x.data?.bundle)!;
      expect(e.message).toMatch(/crash bundle \(the instance turned unresponsive\) written to /);
      const s = summary(String(e.data!.bundle));
      expect(s).toMatchObject({ umid: 'cb-hung', state: 'unresponsive', trigger: 'the instance turned unresponsive' });
      expect(s.files.find((f: { name: string }) => f.name === 'sysrq-t.txt')).toMatchObject({
        ok: false,
        note: expect.stringMatching(/SIGSTOP/),
      });
      expect(fs.readFileSync(path.join(String(e.data!.bundle), 'host-threads.txt'), 'utf8')).toMatch(
        /State:\s+[tT] \((stopped|tracing stop)\)/,
      );
      // once per incident: three more samples of it later, still one
      const rec = () => [...store.records.values()].find((r) => r.umid === 'cb-hung')!;
      let samples = 0;
      let last = rec().sampleAt;
      await waitFor(
        () => {
          if (rec().sampleAt !== last) samples++;
          last = rec().sampleAt;
          return samples >= 3;
        },
        10_000,
        'three more samples of cb-hung',
        20,
      );
      expect(store.recentEvents(200).filter((x) => x.umid === 'cb-hung' && x.data?.bundle)).toHaveLength(1);
    } finally {
      process.kill(hung.pid, 'SIGCONT');
      poller.stop();
      stop();
    }
  });
});
