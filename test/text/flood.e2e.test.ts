// Guests that flood, beside a quiet one, watched by the TUI in a real terminal: one writing notes
// to /proc/mconsole as fast as it can (notes bounded, NOTE_RATE a second, the dropped ones counted
// on screen), one writing its console as fast as it can (the log view follows it, bounded, escapes
// shown), one with a thousand tasks (the task dump whole). Keys are still answered, umltop's
// memory stays bounded and the quiet guest's samples stay fresh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let tmux: Tmux | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-flood-'));
const notify = path.join(dir, 'notify');
beforeAll(async () => {
  fs.chmodSync(dir, 0o700);
  fleet = new Fleet();
  await Promise.all([
    fleet.start({ umid: 'flooder', workloads: ['noteflood'], arg: 900, notifySocket: notify }),
    fleet.start({ umid: 'calm', workloads: ['idle'] }),
    fleet.start({ umid: 'conflood', workloads: ['conflood'], arg: 900 }),
    fleet.start({ umid: 'many', workloads: ['manytasks'], arg: 1000, memMiB: 384 }),
    // reads its second disk from the disk again and again: an interrupt for every request
    fleet.start({ umid: 'storm', workloads: ['diskread'], arg: 300, disks: [64] }),
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

function launch(): Tmux {
  tmux?.kill();
  tmux = new Tmux();
  tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir} --notify-socket ${notify} --interval 1`, 130, 40, {
    XDG_RUNTIME_DIR: dir,
    TERM: 'xterm-256color',
  });
  return tmux;
}
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const loadavgTasks = async () => {
  const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'many', 'proc', 'loadavg'], {
    env: { XDG_RUNTIME_DIR: dir },
  });
  return Number(/ \d+\/(\d+) /.exec(r.stdout)?.[1] ?? 0);
};

describe('floods', () => {
  it('a console written as fast as the guest can: the log view follows it, bounded, escapes shown', async () => {
    const t = launch();
    const title = () => t.tmux('display-message', '-p', '-t', t.session, '#{pane_title}').trim();
    const before = title();
    await t.select('conflood');
    t.keys('L');
    await t.waitScreen(
      (l) => l.some((x) => /flood \d+ \\e\[31mred\\e\[0m \\e\]0;pwned\\a/.test(x)),
      'flood lines, escaped',
      15_000,
    );
    const pid = tuiPid()!;
    const start = rssOf(pid);
    const size0 = fs.statSync(fleet.get('conflood').consoleLog).size;
    // the view keeps following: a newer line number appears, with no key pressed
    const newest = () => Math.max(0, ...t.screen().map((x) => Number(/flood round (\d+)/.exec(x)?.[1] ?? 0)));
    const first = newest();
    await waitFor(() => newest() > first, 10_000, 'a newer round on screen');
    await waitFor(
      () => fs.statSync(fleet.get('conflood').consoleLog).size - size0 > 4 << 20,
      30_000,
      '4 MiB more of console (megabytes, not a trickle)',
    );
    // faster than the view takes it (its newest 512 KiB a second): what is skipped is counted
    await t.waitScreen(
      (l) => l.some((x) => /conflood: console log .*\(\d+(\.\d)? [KM]iB skipped: written faster than shown/.test(x)),
      'the skipped count',
      10_000,
    );
    // keys answered under the flood: Esc leaves the log view, ? opens the help
    t.keys('Escape');
    await t.waitScreen((l) => l.some((x) => /^▶ +conflood +running/.test(x)), 'the table on Esc', 5000);
    t.keys('?');
    await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'the help on ?', 5000);
    expect(rssOf(pid) - start).toBeLessThan(50);
    expect(title()).toBe(before);
  }, 120_000);

  it('an interrupt storm: its rate shown, the quiet guest fresh, keys answered', async () => {
    const t = launch();
    const row = (l: string[], umid: string) => l.find((x) => new RegExp(`^[ ▶] +${umid} +running`).test(x));
    const irq = (x: string | undefined) =>
      Number(
        // IRQ/s: after HCPU%, GCPU%, MEM, UNPLUG and MEMP
        /running(?:\s+\S+){5}\s+([\d.]+[kM]?)/
          .exec(x ?? '')?.[1]
          ?.replace(/k$/, 'e3')
          .replace(/M$/, 'e6') ?? NaN,
      );
    // (the quiet guest's rate needs two of its samples: it may show '-' at first)
    const s = await t.waitScreen(
      (l) => irq(row(l, 'storm')) > 200 && !Number.isNaN(irq(row(l, 'calm'))),
      "a storm of interrupts on screen, and the quiet guest's rate",
      20_000,
    );
    const calm = row(s, 'calm');
    expect(irq(calm)).toBeLessThan(irq(row(s, 'storm')) / 10);
    let worstAge = 0;
    for (let round = 0; round < 10; round++) {
      t.keys('?');
      await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'the help on ?', 5000);
      t.keys('?');
      const again = await t.waitScreen((l) => row(l, 'calm') !== undefined, 'the table again', 5000);
      worstAge = Math.max(worstAge, Number(/ (\d+)s\s*$/.exec(row(again, 'calm') ?? '')?.[1] ?? 0));
    }
    expect(worstAge).toBeLessThanOrEqual(6);
  }, 60_000);

  it('a thousand tasks: umltop tasks lists every one, and the TUI task view opens and searches', async () => {
    // all started (the guest says so on its console), so the count holds still while it is read
    await waitFor(
      () => fs.readFileSync(fleet.get('many').consoleLog, 'utf8').includes('umltop-guest: 1000 sleeping tasks'),
      90_000,
      'a thousand tasks in the guest',
      1000,
    );
    expect(await loadavgTasks()).toBeGreaterThan(1000);
    const r = await runCli(['tasks', '--uml-dir', fleet.umlDir, 'many'], { env: { XDG_RUNTIME_DIR: dir } });
    expect(r.code).toBe(0);
    const m = /^many: (\d+) task\(s\) \(the guest counts (\d+)\)/.exec(r.stdout);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(1000);
    expect(m?.[1]).toBe(m?.[2]);
    const t = launch();
    await t.select('many');
    t.keys('t');
    await t.waitScreen(
      (l) => l.some((x) => /many: tasks \(sysrq t, from the console log\)/.test(x)),
      'the task view',
      30_000,
    );
    await t.type('/', 'init', 'Enter');
    await t.waitScreen((l) => l.some((x) => /\s1\s+0 [SR] {2}init\b/.test(x)), 'init found by search');
  }, 180_000);
});

describe('a guest flooding notes', () => {
  it('is bounded and counted on screen; keys answered, memory bounded, the quiet guest fresh', async () => {
    const t = launch();
    await t.waitScreen((l) => l.some((x) => /calm +running/.test(x)), 'calm running', 20_000);
    // the first report of dropped notes comes NOTE_REPORT_MS after the first note, then one every 5 s
    // the admitted notes push the report out of the events soon: keep every count seen on screen
    const dropped: number[] = [];
    const seen = (l: string[]) => {
      for (const x of l) {
        const m = /(\d+) note\(s\) dropped/.exec(x);
        if (m) dropped.push(Number(m[1]));
      }
      return l;
    };
    seen(
      await t.waitScreen(
        (l) => l.some((x) => /note\(s\) dropped \(more than 20 a second\)/.test(x)),
        'dropped notes said',
        20_000,
      ),
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
      const s = seen(await t.waitScreen((l) => l.some((x) => /calm +running/.test(x)), 'the table again', 3000));
      const age = /calm +running.* (\d+)s\s*$/.exec(s.find((x) => /calm +running/.test(x)) ?? '');
      if (age) worstAge = Math.max(worstAge, Number(age[1]));
    }
    expect(worstAge).toBeLessThanOrEqual(6); // quiet_max_age (5 s) and a tick: not starved by the flood
    expect(rss() - start).toBeLessThan(50);
    // the guest really floods: far more notes a second than shown (the count says how many)
    seen(t.screen());
    expect(Math.max(0, ...dropped)).toBeGreaterThan(20);
  }, 120_000);
});
