// Into the guest from the TUI, in a real terminal on real instances: a hands the terminal to the
// guest's console and ctrl-] gives it back exactly as it was; t shows its tasks, L follows its
// console log, d adds a disk, and a guest with no line on a pts is offered a switch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDiskstats } from '../../src/collectors/proc/diskstats.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { Journal } from '../../src/state/journal.js';
import { BIN } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let tmux: Tmux | undefined;
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-guest-state-'));
const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-guest-run-'));
beforeAll(async () => {
  fs.chmodSync(runtime, 0o700);
  fleet = await Fleet.boot([
    { umid: 'ga-shell', workloads: ['shell'], args: ['con1=pts'] },
    { umid: 'ga-none', workloads: ['idle'] },
  ]);
}, 60_000);
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
  fs.rmSync(runtime, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function launch(extra = ''): Tmux {
  tmux = new Tmux();
  tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir} ${extra}`, 110, 34, {
    XDG_STATE_HOME: state,
    XDG_RUNTIME_DIR: runtime,
    TERM: 'xterm-256color',
  });
  return tmux;
}

describe('into the guest from the TUI', () => {
  it("a: the guest's console, a command answers; ctrl-] brings the TUI back exactly as it was", async () => {
    const t = launch();
    await t.select('ga-shell');
    await t.waitScreen((l) => l.some((x) => /ga-shell +running +\d/.test(x)), 'figures for ga-shell');
    // the display frozen (Space), so what is on screen now is what must come back
    await t.type('space');
    await t.waitScreen((l) => l.some((x) => /paused/i.test(x)), 'the display paused');
    // frozen: the same screen for a second (the last frame before the pause may still be landing)
    let before = '';
    let sameSince = 0;
    await waitFor(
      () => {
        const s = t.screenWithEscapes();
        if (s !== before) [before, sameSince] = [s, performance.now()];
        return performance.now() - sameSince >= 1000;
      },
      10_000,
      'the paused screen to hold still',
    );
    await t.type('a');
    await t.waitScreen(
      (l) => l.some((x) => /attached to ga-shell con1 \(\/dev\/pts\/\d+\); ctrl-\] detaches/.test(x)),
      'the console',
    );
    t.keys('-l', 'echo umltop-$((6*7))-ok');
    t.keys('Enter');
    const onConsole = await t.waitScreen((l) => l.some((x) => /^umltop-42-ok/.test(x)), "the guest shell's answer");
    expect(onConsole.some((x) => /UMID/.test(x))).toBe(false); // no frame drawn over the console
    t.keys('C-]');
    await t.waitScreen((l) => l.some((x) => /UMID/.test(x)), 'the TUI back');
    await waitFor(() => t.screenWithEscapes() === before, 5000, 'the TUI back exactly as it was');
    expect(t.screen().join('\n')).not.toMatch(/umltop-42-ok|attached to/);
    // and the keys are the TUI's again
    await t.type('q');
    await waitFor(() => t.exitCode() !== undefined, 5000, 'exit');
    expect(t.exitCode()).toBe(0);
    const j = new Journal({ XDG_STATE_HOME: state }).read();
    expect(j.some((x) => x.umid === 'ga-shell' && /^console attach con1 /.test(x.command))).toBe(true);
  });

  it("t: the guest's tasks, D first; L: its console log, followed and searchable", async () => {
    const t = launch();
    await t.select('ga-shell');
    await t.type('t');
    const s = await t.waitScreen(
      (l) => l.some((x) => /ga-shell: tasks \(sysrq t, from the console log\)/.test(x)),
      'the task view',
      20_000,
    );
    expect(
      s.some((x) =>
        /^\s*│?\s*\d+ task\(s\) \(the guest counts \d+\), \d+ uninterruptible \(D\)/.test(x.replace(/^[│|]\s*/, '')),
      ),
    ).toBe(true);
    expect(s.some((x) => /\s1\s+0 [SR] {2}init\b/.test(x))).toBe(true);
    await t.type('/', 'sh ', 'Enter');
    await t.waitScreen((l) => l.some((x) => /\d+\s+\d+ [SR] {2}sh\b/.test(x)), 'the shell found by search');
    await t.type('Escape');
    await t.type('L');
    await t.waitScreen((l) => l.some((x) => /ga-shell: console log .*ga-shell\.console\.log/.test(x)), 'the log view');
    // a line written to the log now appears at its end, with no key pressed
    fs.appendFileSync(fleet.get('ga-shell').consoleLog, 'umltop-follow-marker \u001b]0;title\u0007done\n');
    const followed = await t.waitScreen((l) => l.some((x) => /umltop-follow-marker/.test(x)), 'the new line', 5000);
    expect(followed.join('\n')).not.toMatch(/\u001b/);
    expect(t.screenWithEscapes()).not.toMatch(/\u001b\]0;title/);
    await t.type('/', 'UMLTOP-READY', 'Enter');
    await t.waitScreen((l) => l.some((x) => /UMLTOP-READY/.test(x)), 'search in the log');
    await t.type('Escape');
  });

  it('d: a disk added from the dialog, checked first and seen in the guest diskstats', async () => {
    const file = path.join(fleet.root, 'tui-added.img');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 8 << 20);
    const t = launch();
    await t.select('ga-none');
    await t.type('d');
    await t.waitScreen(
      (l) => l.some((x) => /Disks · ga-none/.test(x)) && l.some((x) => /ubda +root_fs +\[not attached/.test(x)),
      'the disk dialog',
    );
    await t.type(`add ubdc ${path.join(fleet.root, 'missing.img')}`, 'Enter');
    await t.waitScreen((l) => l.some((x) => /refused: .*missing\.img does not exist/.test(x)), 'the refusal');
    // the text stays to be corrected; here the dialog is opened afresh
    await t.type('Escape', 'd');
    await t.waitScreen(
      (l) => l.some((x) => /^│disk> ▏/.test(x)) && !l.some((x) => /refused/.test(x)),
      'the dialog again',
    );
    await t.type(`add ubdc ${file}`, 'Enter');
    await t.waitScreen((l) => l.some((x) => /Add .*tui-added\.img to ga-none as ubdc/.test(x)), 'the check');
    await t.type('y');
    await t.waitScreen(
      (l) => l.some((x) => /ubdc is .*tui-added\.img: the guest's diskstats shows it/.test(x)),
      'the result',
      10_000,
    );
    const c = new MconsoleClient(fleet.get('ga-none').socket, { timeoutMs: 2000, label: 'test' });
    const names = parseDiskstats((await c.request('proc diskstats')).text).value.map((d) => d.name);
    c.close();
    expect(names).toContain('ubdc');
    await t.type('Enter');
  });

  it('a on a guest with no line on a pts: its lines, and a switch offered (n leaves it as it was)', async () => {
    const t = launch();
    await t.select('ga-none');
    await t.type('a');
    const s = await t.waitScreen((l) => l.some((x) => /Switch con1 \(now null\) to a pts/.test(x)), 'the offer');
    expect(s.some((x) => /con0 +null/.test(x))).toBe(true);
    await t.type('n');
    await t.waitScreen((l) => !l.some((x) => /Switch con1/.test(x)), 'the offer closed');
    const c = new MconsoleClient(fleet.get('ga-none').socket, { timeoutMs: 2000, label: 'test' });
    expect((await c.request('config con1')).text.trim()).toBe('null');
    c.close();
  });

  it('--read-only: a and d are not bound, t still works', async () => {
    const t = launch('--read-only');
    await t.select('ga-shell');
    // keys are handled in order: once help (typed after them) is drawn, a and d were handled
    await t.type('a', 'd', '?');
    const after = await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'help, typed after a and d');
    expect(after.join('\n')).not.toMatch(/attached to|Console ·|Disks ·/);
    await t.type('Escape', 't');
    await t.waitScreen((l) => l.some((x) => /ga-shell: tasks \(sysrq t/.test(x)), 'the task view', 20_000);
  });
});
