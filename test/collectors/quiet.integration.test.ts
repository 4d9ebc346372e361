// Quiet sampling on real guests: an idle guest is asked every quiet_max_age, not every interval,
// and its figures are carried with their age; one that works in bursts is asked every interval; a
// quiet guest that is killed is found dead, and one that starts to spin shows its new rate within
// two intervals of starting.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Poller } from '../../src/collectors/poller.js';
import { systemClock } from '../../src/runtime/clock.js';
import type { InstanceRecord } from '../../src/state/records.js';
import { Store } from '../../src/state/store.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

const INTERVAL = 500;
const QUIET_MAX_AGE = 2500;
const SPIN_AFTER_S = 20;

let fleet: Fleet;
let store: Store;
let poller: Poller;
beforeAll(async () => {
  fleet = await Fleet.boot([
    { umid: 'q-idle' },
    { umid: 'q-kill' },
    { umid: 'q-spin', workloads: ['spinafter'], arg: SPIN_AFTER_S },
    { umid: 'q-burst', workloads: ['cpuburst'] },
  ]);
  store = new Store(systemClock, { intervalMs: INTERVAL, quietMaxAgeMs: QUIET_MAX_AGE });
  poller = new Poller({
    sink: store,
    clock: systemClock,
    umlDirs: [fleet.umlDir],
    intervalMs: INTERVAL,
    quietMaxAgeMs: QUIET_MAX_AGE,
    watch: false,
  });
  poller.start();
}, 60_000);
afterAll(async () => {
  poller?.stop();
  await fleet?.teardown();
});

const rec = (umid: string): InstanceRecord | undefined => [...store.records.values()].find((r) => r.umid === umid);
const age = (umid: string) => {
  const r = rec(umid);
  return r ? store.sampleAgeMs(r) : undefined;
};
/** Resolves once the guest has gone unasked for more than two intervals: it is being treated as quiet. */
const seenQuiet = (umid: string) =>
  waitFor(() => (age(umid) ?? 0) > 2 * INTERVAL, 3 * QUIET_MAX_AGE, `${umid} left unasked (quiet)`, 20);
/** Watches a guest for `ms`, polled every `pollMs`: its oldest age seen and how many samples landed. */
async function watchAges(umid: string, ms: number, pollMs: number, each?: (r: InstanceRecord) => void) {
  let worst = 0;
  let samples = 0;
  let last = rec(umid)!.sampleAt;
  const until = performance.now() + ms;
  await waitFor(
    () => {
      const r = rec(umid)!;
      each?.(r);
      worst = Math.max(worst, age(umid)!);
      if (r.sampleAt !== last) samples++;
      last = r.sampleAt;
      return performance.now() > until;
    },
    2 * ms,
    `${umid} watched for ${ms} ms`,
    pollMs,
  );
  return { worst, samples };
}

describe('quiet sampling on real guests', () => {
  it('an idle guest is asked every quiet_max_age, never less often, and never shown stale', async () => {
    await seenQuiet('q-idle');
    const { worst, samples } = await watchAges('q-idle', 2 * QUIET_MAX_AGE, 20, (r) => {
      expect(r.state).toBe('running');
      expect(store.isStale(r)).toBe(false);
    });
    // asked at least once per quiet_max_age (a beat may fall a quarter interval late), far less than every beat
    expect(worst).toBeLessThan(QUIET_MAX_AGE + INTERVAL);
    expect(samples).toBeGreaterThanOrEqual(1);
    expect(samples).toBeLessThan((2 * QUIET_MAX_AGE) / INTERVAL / 2);
  });

  it('a guest that works in bursts a second apart is asked every interval, not left quiet between', async () => {
    // a burst every ~1.1 s (scripts/guest-init.sh) leaves one or two half-second beats without one
    await waitFor(() => (rec('q-burst')?.host?.cpuPercent ?? 0) > 1, 30_000, 'q-burst seen bursting', 20);
    const { worst, samples } = await watchAges('q-burst', 12 * INTERVAL, 10);
    // every beat samples it: its age peaks at an interval plus a sample's time (left quiet between
    // bursts, it reached 2.5-3 intervals)
    expect(worst).toBeLessThan(2 * INTERVAL);
    expect(samples).toBeGreaterThanOrEqual(10);
  });

  it('a quiet guest that is killed is shown dead within quiet_max_age and the request deadline', async () => {
    await seenQuiet('q-kill');
    const victim = fleet.get('q-kill');
    process.kill(victim.pid, 'SIGKILL');
    const killedAt = performance.now();
    await waitFor(
      () => rec('q-kill') === undefined || rec('q-kill')!.state === 'dead',
      QUIET_MAX_AGE + poller.timeoutMs,
      'q-kill shown dead (or removed)',
      10,
    );
    expect(performance.now() - killedAt).toBeLessThan(QUIET_MAX_AGE + poller.timeoutMs);
  });

  it('a quiet guest that starts to spin shows its new rate within two intervals', async () => {
    const spin = fleet.get('q-spin');
    await seenQuiet('q-spin');
    expect(rec('q-spin')!.host?.cpuPercent ?? 0).toBeLessThan(20);
    // The onset: the guest says so on its console just before it spins (scripts/guest-init.sh).
    // Timed from the host instead (its kernel's wakeups, polled), one burst of umltop asking was
    // taken for it, and a real onset was seen up to 0.7 s late, after umltop had shown the spin.
    let onset = 0;
    await waitFor(
      () => {
        if (/umltop-guest: spinning/.test(fs.readFileSync(spin.consoleLog, 'utf8'))) onset = performance.now();
        return onset > 0;
      },
      (SPIN_AFTER_S + 20) * 1000,
      'q-spin to start spinning',
      10,
    );
    // The beat after the onset samples it in full, but over a window mostly before the onset
    // (measured: 3-19 %); a second look half an interval on shows the spin (98 %): within 1.5
    // intervals of the onset and the sample's own time, inside the 2 the issue asks for.
    const looks: number[] = [performance.now()];
    let lastAt = rec('q-spin')!.sampleAt;
    let shownAt = 0;
    // looks on the beat grid are an interval apart at least; the second look, half of one
    const secondLook = () => looks.some((t, i) => i > 1 && t - looks[i - 1]! < 0.75 * INTERVAL);
    await waitFor(
      () => {
        const r = rec('q-spin')!;
        if (r.sampleAt !== lastAt) looks.push(performance.now());
        lastAt = r.sampleAt;
        if (!shownAt && (r.host?.cpuPercent ?? 0) > 30) shownAt = performance.now();
        return shownAt > 0 && secondLook();
      },
      2 * INTERVAL - (performance.now() - onset), // two intervals from the onset, not from seeing it
      'the new rate shown, and a second look half an interval after the first',
      10,
    );
    expect(shownAt - onset).toBeLessThan(2 * INTERVAL);
    // and it stays asked every interval while it moves
    const seen = rec('q-spin')!.sampleAt!;
    await waitFor(() => rec('q-spin')!.sampleAt! > seen, 2 * INTERVAL, 'the next sample within two intervals', 10);
  }, 90_000);
});
