// The control keys of the real binary in a real terminal on real instances: the command line,
// sysrq, the output pane, pause/resume, reboot, the shutdown ladder, read-only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/state/journal.js';
import { BIN } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, pidAlive, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let tmux: Tmux | undefined;
let state: string;
beforeAll(async () => {
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-state-'));
  fleet = await Fleet.boot([{ umid: 'ctl-a' }, { umid: 'ctl-b' }, { umid: 'ctl-c' }]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function launch(extra = ''): Tmux {
  tmux = new Tmux();
  tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir} ${extra}`, 110, 34, {
    XDG_STATE_HOME: state,
    TERM: 'xterm-256color',
  });
  return tmux;
}

describe('control in a real terminal', () => {
  it('arrow keys that arrive in one chunk (held down, over SSH) each move the selection', async () => {
    const t = launch();
    await t.waitScreen((l) => l.some((x) => /^▶ +ctl-a +running/.test(x)), 'ctl-a selected');
    t.keys('Down', 'Down'); // one send-keys: one write, one chunk for umltop to read
    await t.waitScreen((l) => l.some((x) => /^▶ +ctl-c +running/.test(x)), 'two rows down: ctl-c selected');
    t.keys('Up', 'Up');
    await t.waitScreen((l) => l.some((x) => /^▶ +ctl-a +running/.test(x)), 'two rows up: ctl-a again');
  });

  it(': runs a command into the output pane; sysrq t is captured, searchable; z pauses and resumes', async () => {
    const t = launch();
    await t.select('ctl-a');
    await t.type(':', 'proc meminfo', 'Enter');
    let s = await t.waitScreen((l) => l.some((x) => /ctl-a: proc meminfo +\(complete/.test(x)), 'the output pane');
    expect(s.some((l) => /MemTotal: +\d+ kB/.test(l))).toBe(true);
    await t.type('Escape', ':', 'Up');
    await t.waitScreen((l) => l.some((x) => /ctl-a> proc meminfo/.test(x)), 'history recalls the last command');
    await t.type('Escape', 'S');
    const menu = await t.waitScreen(
      (l) => l.some((x) => /letters this guest kernel supports/.test(x)),
      'the letters the guest supports',
    );
    expect(menu.join('\n')).toMatch(/ R +replay the kernel log/); // this kernel has R…
    expect(menu.join('\n')).not.toMatch(/ z +dump the ftrace buffer/); // …and no z
    await t.type('t', 'Enter');
    s = await t.waitScreen(
      (l) => l.some((x) => /ctl-a: sysrq t +\((complete|INCOMPLETE)/.test(x)),
      'the sysrq output',
      15_000,
    );
    expect(s.join('\n')).toMatch(/sysrq: Show State|task:/);
    await t.type('/', 'init', 'Enter');
    await t.waitScreen((l) => l.some((x) => /\/init/.test(x)), 'search');
    await t.type('Escape', 'z');
    await t.waitScreen((l) => l.some((x) => /Pause ctl-a/.test(x)), 'the pause question');
    await t.type('y');
    s = await t.waitScreen(
      (l) => /umltop paused ctl-a/.test(l[0]!) && l.some((x) => /ctl-a +stopped/.test(x)),
      'paused, with a banner',
      10_000,
    );
    await t.type('Escape', 'z');
    await t.waitScreen((l) => l.some((x) => /Resume ctl-a/.test(x)), 'the resume question');
    await t.type('y');
    await t.waitScreen(
      (l) => !/umltop paused/.test(l[0]!) && l.some((x) => /ctl-a +running/.test(x)),
      'running again',
      10_000,
    );
    const journal = new Journal({ XDG_STATE_HOME: state }).read().map((j) => [j.umid, j.command, j.outcome]);
    expect(journal).toEqual(
      expect.arrayContaining([
        ['ctl-a', 'stop', 'ok'],
        ['ctl-a', 'go', 'ok'],
      ]),
    );
    expect(journal.some(([, c]) => c === 'proc meminfo')).toBe(false); // reads are not journaled
  });

  it('leaving umltop with an instance it paused says so', async () => {
    const t = launch();
    await t.select('ctl-a');
    await t.type('z', 'y');
    await t.waitScreen((l) => /umltop paused ctl-a/.test(l[0]!), 'paused');
    await t.type('Escape', 'q');
    await waitFor(() => t.exitCode() !== undefined, 5000, 'exit');
    const after = t.screen().join('\n');
    expect(after).toMatch(
      /left paused by this umltop:\s+ctl-a \(paused \d+ s\) — resume with: umltop mconsole --uml-dir \S+ ctl-a go/,
    );
    const { execFileSync } = await import('node:child_process');
    execFileSync('uml_mconsole', [fleet.get('ctl-a').socket, 'go'], { stdio: 'ignore' });
  });

  it('R reboots after the umid is typed (a wrong umid does nothing)', async () => {
    const t = launch();
    await t.select('ctl-b');
    await t.type('R');
    await t.waitScreen((l) => l.some((x) => /Type the umid \(ctl-b\)/.test(x)), 'the typed confirmation');
    const socketBefore = fs.statSync(fleet.get('ctl-b').socket).ino;
    await t.type('ctl-x', 'Enter');
    await t.waitScreen((l) => l.some((x) => /type the umid exactly/.test(x)), 'a wrong umid refused');
    // the refusal is drawn once the answer was handled: nothing was sent (no reboot journaled, the
    // same socket)
    const sent = new Journal({ XDG_STATE_HOME: state })
      .read()
      .filter((j) => j.command === 'reboot' && j.outcome !== 'refused');
    expect(sent).toEqual([]);
    expect(fs.statSync(fleet.get('ctl-b').socket).ino).toBe(socketBefore);
    await t.type('ctl-b', 'Enter');
    await t.waitScreen((l) => l.some((x) => /reboot: OK/.test(x)), 'reboot done');
    await t.type('Escape');
    // the guest restarted: its uptime starts again (same host pid, as mconsole reboot re-execs)
    // (UPTIME may be the last column at this width: no space after it)
    await t.waitScreen((l) => l.some((x) => /ctl-b +running .* 0:0\d\b/.test(x)), 'uptime reset', 20_000);
  });

  it('X walks the shutdown ladder on a SIGSTOPped guest: cad and halt do nothing, SIGTERM waits, SIGKILL ends it', async () => {
    const victim = fleet.get('ctl-c');
    const t = launch();
    await t.select('ctl-c');
    process.kill(victim.pid, 'SIGSTOP');
    await t.waitScreen((l) => l.some((x) => /ctl-c +unresp/.test(x)), 'ctl-c unresponsive');
    await t.type('X');
    await t.waitScreen((l) => l.some((x) => /Shutdown ladder · ctl-c/.test(x)), 'the ladder');
    for (const [step, result] of [
      ['cad', /cad: no reboot or exit within 10 s/],
      ['halt', /halt: the process is still there after 5 s/],
      ['SIGTERM', /SIGTERM: pid \d+ still alive after 5 s/],
    ] as const) {
      await t.type('ctl-c', 'Enter');
      await t.waitScreen((l) => l.some((x) => result.test(x)), `${step} checked`, 20_000);
    }
    await t.type('ctl-c', 'Enter');
    await t.waitScreen((l) => l.some((x) => /SIGKILL: \d+ process\(es\) killed/.test(x)), 'SIGKILL', 10_000);
    expect(pidAlive(victim.pid)).toBe(false);
    await t.type('Escape');
    await t.waitScreen((l) => l.some((x) => /ctl-c +dead/.test(x)), 'ctl-c dead');
  });

  it('--read-only: writes refused in the command line and sysrq menu, write keys hidden', async () => {
    const t = launch('--read-only');
    await t.select('ctl-a');
    expect(t.screen().at(-2)).not.toMatch(/memory/);
    await t.type(':', 'halt', 'Enter');
    await t.waitScreen((l) => l.some((x) => /read-only: 'halt' writes to the instance/.test(x)), 'halt refused');
    await t.type('Escape', 'S', 'b', 'Enter');
    await t.waitScreen((l) => l.some((x) => /read-only: 'sysrq b' writes/.test(x)), 'sysrq b refused');
    // keys are handled in order: once help (typed after z) is drawn, z was handled
    await t.type('Escape', 'z', '?');
    const after = await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'help, typed after z');
    expect(after.join('\n')).not.toMatch(/Pause ctl-a/);
    expect(pidAlive(fleet.get('ctl-a').pid)).toBe(true);
  });
});
