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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function launch(extra = ''): Tmux {
  tmux = new Tmux();
  tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir} ${extra}`, 110, 34, {
    XDG_STATE_HOME: state,
    TERM: 'xterm-256color',
  });
  return tmux;
}
async function select(t: Tmux, umid: string) {
  await t.waitScreen((l) => l.some((x) => new RegExp(`${umid} +running`).test(x)), `${umid} running`);
  t.keys('/');
  await sleep(150);
  t.keys(umid);
  await sleep(150);
  t.keys('Enter');
  await t.waitScreen((l) => l.some((x) => new RegExp(`^▶ +${umid}`).test(x)), `${umid} selected`);
}
const type = async (t: Tmux, ...keys: string[]) => {
  for (const k of keys) {
    t.keys(k);
    await sleep(120);
  }
};

describe('control in a real terminal', () => {
  it(': runs a command into the output pane; sysrq t is captured, searchable; z pauses and resumes', async () => {
    const t = launch();
    await select(t, 'ctl-a');
    await type(t, ':', 'proc meminfo', 'Enter');
    let s = await t.waitScreen((l) => l.some((x) => /ctl-a: proc meminfo +\(complete/.test(x)), 'the output pane');
    expect(s.some((l) => /MemTotal: +\d+ kB/.test(l))).toBe(true);
    await type(t, 'Escape', ':', 'Up');
    await t.waitScreen((l) => l.some((x) => /ctl-a> proc meminfo/.test(x)), 'history recalls the last command');
    await type(t, 'Escape', 'S');
    const menu = await t.waitScreen(
      (l) => l.some((x) => /letters this guest kernel supports/.test(x)),
      'the letters the guest supports',
    );
    expect(menu.join('\n')).toMatch(/ R +replay the kernel log/); // this kernel has R…
    expect(menu.join('\n')).not.toMatch(/ z +dump the ftrace buffer/); // …and no z
    await type(t, 't', 'Enter');
    s = await t.waitScreen(
      (l) => l.some((x) => /ctl-a: sysrq t +\((complete|INCOMPLETE)/.test(x)),
      'the sysrq output',
      15_000,
    );
    expect(s.join('\n')).toMatch(/sysrq: Show State|task:/);
    await type(t, '/', 'init', 'Enter');
    await t.waitScreen((l) => l.some((x) => /\/init/.test(x)), 'search');
    await type(t, 'Escape', 'z');
    await t.waitScreen((l) => l.some((x) => /Pause ctl-a/.test(x)), 'the pause question');
    await type(t, 'y');
    s = await t.waitScreen(
      (l) => /umltop paused ctl-a/.test(l[0]!) && l.some((x) => /ctl-a +stopped/.test(x)),
      'paused, with a banner',
      10_000,
    );
    await type(t, 'Escape', 'z');
    await t.waitScreen((l) => l.some((x) => /Resume ctl-a/.test(x)), 'the resume question');
    await type(t, 'y');
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
    await select(t, 'ctl-a');
    await type(t, 'z', 'y');
    await t.waitScreen((l) => /umltop paused ctl-a/.test(l[0]!), 'paused');
    await type(t, 'Escape', 'q');
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
    await select(t, 'ctl-b');
    await type(t, 'R');
    await t.waitScreen((l) => l.some((x) => /Type the umid \(ctl-b\)/.test(x)), 'the typed confirmation');
    await type(t, 'ctl-x', 'Enter');
    await t.waitScreen((l) => l.some((x) => /type the umid exactly/.test(x)), 'a wrong umid refused');
    await type(t, 'ctl-b', 'Enter');
    await t.waitScreen((l) => l.some((x) => /reboot: OK/.test(x)), 'reboot done');
    await type(t, 'Escape');
    // the guest restarted: its uptime starts again (same host pid, as mconsole reboot re-execs)
    await t.waitScreen((l) => l.some((x) => /ctl-b +running .* 0:0\d /.test(x)), 'uptime reset', 20_000);
  });

  it('X walks the shutdown ladder on a SIGSTOPped guest: cad and halt do nothing, SIGTERM waits, SIGKILL ends it', async () => {
    const victim = fleet.get('ctl-c');
    const t = launch();
    await select(t, 'ctl-c');
    process.kill(victim.pid, 'SIGSTOP');
    await t.waitScreen((l) => l.some((x) => /ctl-c +unresp/.test(x)), 'ctl-c unresponsive');
    await type(t, 'X');
    await t.waitScreen((l) => l.some((x) => /Shutdown ladder · ctl-c/.test(x)), 'the ladder');
    for (const [step, result] of [
      ['cad', /cad: no reboot or exit within 10 s/],
      ['halt', /halt: the process is still there after 5 s/],
      ['SIGTERM', /SIGTERM: pid \d+ still alive after 5 s/],
    ] as const) {
      await type(t, 'ctl-c', 'Enter');
      await t.waitScreen((l) => l.some((x) => result.test(x)), `${step} checked`, 20_000);
    }
    await type(t, 'ctl-c', 'Enter');
    await t.waitScreen((l) => l.some((x) => /SIGKILL: \d+ process\(es\) killed/.test(x)), 'SIGKILL', 10_000);
    expect(pidAlive(victim.pid)).toBe(false);
    await type(t, 'Escape');
    await t.waitScreen((l) => l.some((x) => /ctl-c +dead/.test(x)), 'ctl-c dead');
  });

  it('--read-only: writes refused in the command line and sysrq menu, write keys hidden', async () => {
    const t = launch('--read-only');
    await select(t, 'ctl-a');
    expect(t.screen().at(-2)).not.toMatch(/memory/);
    await type(t, ':', 'halt', 'Enter');
    await t.waitScreen((l) => l.some((x) => /read-only: 'halt' writes to the instance/.test(x)), 'halt refused');
    await type(t, 'Escape', 'S', 'b', 'Enter');
    await t.waitScreen((l) => l.some((x) => /read-only: 'sysrq b' writes/.test(x)), 'sysrq b refused');
    await type(t, 'Escape', 'z');
    await sleep(400);
    expect(t.screen().join('\n')).not.toMatch(/Pause ctl-a/);
    expect(pidAlive(fleet.get('ctl-a').pid)).toBe(true);
  });
});
