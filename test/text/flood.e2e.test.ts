// A guest writing notes to /proc/mconsole as fast as it can (workload `noteflood`), beside a quiet
// guest, watched by the TUI in a real terminal with their notify socket: the notes are bounded
// (NOTE_RATE a second, what is dropped counted on screen), keys are still answered, umltop's
// memory stays bounded and the quiet guest's samples stay fresh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let tmux: Tmux | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-flood-'));
const notify = path.join(dir, 'notify');
beforeAll(async () => {
  fs.chmodSync(dir, 0o700);
  fleet = new Fleet();
  await Promise.all([
    fleet.start({ umid: 'flooder', workloads: ['noteflood'], arg: 120, notifySocket: notify }),
    fleet.start({ umid: 'calm', workloads: ['idle'] }),
  ]);
}, 90_000);
afterAll(async () => {
  tmux?.kill();
  await fleet?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The node process of the TUI (its command line names this test's notify socket). */
function tuiPid(): number | undefined {
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (cmd.includes(notify) && cmd.includes('umltop')) return Number(p);
    } catch {
      /* expected: processes come and go */
    }
  }
  return undefined;
}

describe('a guest flooding notes', () => {
  it('is bounded and counted on screen; keys answered, memory bounded, the quiet guest fresh', async () => {
    tmux = new Tmux();
    const t = tmux;
    t.start(`node ${BIN} --uml-dir ${fleet.umlDir} --notify-socket ${notify} --interval 1`, 130, 40, {
      XDG_RUNTIME_DIR: dir,
      TERM: 'xterm-256color',
    });
    await t.waitScreen((l) => l.some((x) => /calm +running/.test(x)), 'calm running', 20_000);
    // the first report of dropped notes comes with the burst's end
    await t.waitScreen(
      (l) => l.some((x) => /note\(s\) dropped \(more than 20 a second\)/.test(x)),
      'dropped notes said',
      20_000,
    );
    const pid = tuiPid();
    expect(pid).toBeDefined();
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    const start = rss();
    // ten seconds of flood: the help opens and closes on keys, the quiet guest's AGE stays low
    let worstAge = 0;
    const until = performance.now() + 10_000;
    for (let round = 0; round < 20 && performance.now() < until; round++) {
      t.keys('?');
      await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'the help on ?', 3000);
      t.keys('?');
      const s = await t.waitScreen((l) => l.some((x) => /calm +running/.test(x)), 'the table again', 3000);
      const age = /calm +running.* (\d+)s\s*$/.exec(s.find((x) => /calm +running/.test(x)) ?? '');
      if (age) worstAge = Math.max(worstAge, Number(age[1]));
    }
    expect(worstAge).toBeLessThanOrEqual(6); // quiet_max_age (5 s) and a tick: not starved by the flood
    expect(rss() - start).toBeLessThan(50);
    // the guest really floods: far more notes a second than shown (the count says how many)
    const dropped = t
      .screen()
      .map((x) => /(\d+) note\(s\) dropped/.exec(x)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(Math.max(...dropped)).toBeGreaterThan(20);
  }, 120_000);
});
