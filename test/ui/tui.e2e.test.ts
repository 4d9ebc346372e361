// The real binary in a real terminal (tmux) on a real fleet: keys in, screen out.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyLabel } from '../../src/ui/keys/keymap.js';
import { ACTIONS } from '../../src/ui/keys/table.js';
import { BIN } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';
import { expectedNice } from '../helpers/nice.js';

/** Where the TUI's priority should be (tmux's server starts with this process's nice value). */
const EXPECTED_NICE = expectedNice();

const UMIDS = ['tui-idle', 'tui-cpu', 'tui-mem', 'tui-chatty'];
let fleet: Fleet;
let tmux: Tmux | undefined;
let runtime: string;

beforeAll(async () => {
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rt-'));
  fleet = await Fleet.boot([
    { umid: 'tui-idle' },
    { umid: 'tui-cpu', workloads: ['cpu'] },
    { umid: 'tui-mem', workloads: ['memhog'], arg: 24 },
    { umid: 'tui-chatty', workloads: ['chatty'] },
  ]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(runtime, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

function launch(width: number, height: number, extra = '', env: Record<string, string> = {}): Tmux {
  tmux = new Tmux();
  tmux.start(`node ${BIN} --uml-dir ${fleet.umlDir} ${extra}`, width, height, {
    XDG_RUNTIME_DIR: runtime,
    TERM: 'xterm-256color',
    ...env,
  });
  return tmux;
}
// every instance listed, panes drawn, and the spinner's host CPU rate known (needs two samples):
// at least 10.0, and 100.0 or more counts (a busy guest plus its helper threads can pass 100)
const ready = (l: string[]) =>
  UMIDS.every((u) => l.some((x) => x.includes(u))) &&
  l.some((x) => /CPU [·-] /.test(x)) &&
  l.some((x) => /tui-cpu +running +[1-9]\d+\.\d/.test(x));
const row = (l: string[], umid: string) => l.find((x) => new RegExp(`^..\\s*${umid}\\s`).test(x)) ?? '';
const leftovers = () =>
  fs.existsSync(path.join(runtime, 'umltop')) ? fs.readdirSync(path.join(runtime, 'umltop')) : [];

describe('umltop in a real terminal on real instances', () => {
  for (const [w, h] of [
    [100, 30],
    [80, 24],
  ] as const) {
    it(`at ${w}×${h}: every instance, the three panes and events, nothing on the last row`, async () => {
      const t = launch(w, h);
      const screen = await t.waitScreen(ready, 'the first full frame');
      for (const u of UMIDS)
        expect(
          screen.some((l) => l.includes(u)),
          u,
        ).toBe(true);
      for (const p of ['CPU · ', 'Memory · ', 'Interrupts/s · ', 'Events'])
        expect(
          screen.some((l) => l.includes(p)),
          p,
        ).toBe(true);
      expect(screen).toHaveLength(h);
      expect(screen[h - 1]!.trim()).toBe(''); // the frame never reaches the terminal's last row
      expect(screen[h - 2]).toMatch(/^q quit {2}\? help/); // footer legend from the action table
      for (const l of screen) expect([...l].length).toBeLessThanOrEqual(w); // nothing wraps
      t.keys('q');
      await waitFor(() => t.exitCode() !== undefined, 5000, 'umltop to exit');
      expect(t.exitCode()).toBe(0);
    });
  }

  it('keys: select, sort, filter, help, quit', async () => {
    const t = launch(100, 30);
    let s = await t.waitScreen(ready, 'the first full frame');
    // sorted by name: chatty, cpu, idle, mem; the first is selected
    expect(row(s, 'tui-chatty')).toMatch(/^▶/);
    expect(s.some((l) => /CPU · tui-chatty/.test(l))).toBe(true);
    t.keys('j');
    s = await t.waitScreen((l) => /^▶/.test(row(l, 'tui-cpu')), 'j to select the next row');
    expect(s.some((l) => /CPU · tui-cpu/.test(l))).toBe(true);
    t.keys('P');
    s = await t.waitScreen((l) => l.some((x) => /▼HCPU%/.test(x)), 'P to sort by CPU');
    const order = s.filter((l) => UMIDS.some((u) => row([l], u) === l)).map((l) => UMIDS.find((u) => l.includes(u)));
    expect(order[0]).toBe('tui-cpu');
    t.keys('/', 'm', 'e', 'm');
    s = await t.waitScreen(
      (l) => l.some((x) => /^filter: mem/.test(x)) && row(l, 'tui-idle') === '',
      'the filter to apply',
    );
    expect(row(s, 'tui-mem')).not.toBe('');
    expect(UMIDS.filter((u) => row(s, u) !== '')).toEqual(['tui-mem']);
    t.keys('Escape');
    s = await t.waitScreen((l) => row(l, 'tui-idle') !== '', 'Esc to clear the filter');
    t.keys('?');
    s = await t.waitScreen((l) => l.some((x) => x.includes('umltop help')), 'the help screen', 5000);
    let help = s.join('\n');
    // the help scrolls: page through it until it says it shows the last line
    const atEnd = (l: string[]) => {
      const m = l.map((x) => /lines \d+-(\d+) of (\d+)/.exec(x)).find(Boolean);
      return !m || Number(m[1]) >= Number(m[2]); // no position line: the help fits on one page
    };
    const position = (l: string[]) => l.find((x) => /lines \d+-\d+ of \d+/.test(x));
    for (let page = 0; page < 10 && !atEnd(t.screen()); page++) {
      const before = position(t.screen());
      t.keys('PageDown');
      // the position line is the page's last line: once it shows the new range, the page above it is drawn
      help += `\n${(await t.waitScreen((l) => position(l) !== before, 'the next help page', 5000)).join('\n')}`;
    }
    expect(help).toContain(EXPECTED_NICE.note.split(':')[0]!);
    for (const a of ACTIONS.filter((x) => !x.replay))
      expect(help, a.id).toContain(a.keys.map((k) => keyLabel(k)).join(' '));
    t.keys('?');
    await t.waitScreen((l) => l.some((x) => x.includes('Events')), 'help to close');
    t.keys('Tab');
    await t.waitScreen((l) => l.some((x) => /● CPU · /.test(x)), 'Tab to focus the CPU pane');
    t.keys('Enter');
    s = await t.waitScreen(
      (l) => l.some((x) => /● CPU · /.test(x)) && !l.some((x) => x.includes('Events')),
      'Enter to zoom',
    );
    expect(s.filter((l) => /^│/.test(l)).length).toBeGreaterThan(20);
    t.keys('Escape');
    await t.waitScreen((l) => l.some((x) => x.includes('Events')), 'Esc to unzoom');
    t.keys('+');
    await t.waitScreen((l) => / 2s \d\d:\d\d:\d\d$/.test(l[0]!), '+ to lengthen the interval');
    t.keys('Space');
    await t.waitScreen((l) => /PAUSED/.test(l[0]!), 'space to pause the display');
    t.keys('C-c');
    await waitFor(() => t.exitCode() !== undefined, 5000, 'ctrl-c to quit');
    expect(t.exitCode()).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('draws live and in colour with CI=true in its environment (a build host shell)', async () => {
    const t = launch(100, 30, '', { CI: 'true', CONTINUOUS_INTEGRATION: '1' });
    await t.waitScreen(ready, 'the first full frame');
    // in colour too (chalk's supports-color answers "no colour" under CI whatever the terminal)
    expect(t.screenWithEscapes()).toMatch(/\u001b\[3\dm/);
    t.keys('q');
    await waitFor(() => t.exitCode() !== undefined, 5000, 'exit');
    expect(t.exitCode()).toBe(0);
  });

  it('writes nothing to stderr when it has nothing to say (no cursor escape in a log file)', async () => {
    const err = path.join(runtime, 'tui-stderr.log');
    const t = launch(100, 30, `2>${err}`);
    await t.waitScreen(ready, 'the first full frame');
    t.keys('q');
    await waitFor(() => t.exitCode() !== undefined, 5000, 'exit');
    expect(t.exitCode()).toBe(0);
    expect(JSON.stringify(fs.readFileSync(err, 'utf8'))).toBe('""');
    // the terminal got its cursor back
    expect(t.raw()).toContain('\u001b[?25h');
  });

  it('follows a resize', async () => {
    const t = launch(80, 24);
    let s = await t.waitScreen(ready, 'the first full frame');
    expect(s.join('\n')).not.toMatch(/UPTIME/);
    t.resize(130, 40);
    s = await t.waitScreen(
      (l) => l.length === 40 && l.some((x) => /UPTIME +PID +AGE/.test(x)),
      'the frame to follow the resize',
    );
    expect(s[39]!.trim()).toBe('');
    for (const l of s) expect([...l].length).toBeLessThanOrEqual(130);
  });

  for (const how of ['NO_COLOR=1', '--no-color']) {
    it(`with ${how}: no colour escapes at all`, async () => {
      const t = how.startsWith('NO_COLOR') ? launch(100, 30, '', { NO_COLOR: '1' }) : launch(100, 30, '--no-color');
      await t.waitScreen(ready, 'the first full frame');
      // and frames after it (refreshes), so what is checked is more than the first frame
      const first = t.raw().length;
      await waitFor(() => t.raw().length > first + 200, 10_000, 'later frames');
      const raw = t.raw();
      expect(raw.length).toBeGreaterThan(1000);
      // SGR sequences that set a colour: 30–37, 38;…, 39, 40–47, 48;…, 49, 90–97, 100–107
      const colours =
        raw.match(/\u001b\[[0-9;]*m/g)?.filter((sgr) =>
          sgr
            .slice(2, -1)
            .split(';')
            .some((n) => /^(3\d|4\d|9[0-7]|10[0-7])$/.test(n)),
        ) ?? [];
      expect(colours).toEqual([]);
      t.keys('q');
      await waitFor(() => t.exitCode() !== undefined, 5000, 'exit');
    });
  }

  it('with colour, it does use colour; --ascii draws only ASCII', async () => {
    const t = launch(100, 30, '--ascii');
    const s = await t.waitScreen(ready, 'the first full frame');
    expect(t.screenWithEscapes()).toMatch(/\u001b\[3\dm/);
    expect(s.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('exits cleanly when the terminal goes away (SIGHUP), leaving no socket behind', async () => {
    const t = launch(100, 30);
    await t.waitScreen(ready, 'the first full frame');
    const pids = execFileSync('pgrep', ['-f', `${BIN} --uml-dir ${fleet.umlDir}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    expect(pids.length).toBeGreaterThan(0);
    // started at nice 0 by root, the TUI raised its own priority (src/runtime/priority.ts)
    const niceOf = (pid: number) => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    const node = pids.filter((p) => fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'node');
    expect(node.length).toBe(1); // the shell tmux started matches too
    expect(node.map(niceOf)).toEqual([EXPECTED_NICE.value]);
    t.kill(); // closes the terminal: the process gets SIGHUP
    tmux = undefined;
    await waitFor(
      () =>
        pids.every((p) => {
          try {
            process.kill(p, 0);
            return false;
          } catch {
            return true;
          }
        }),
      5000,
      'umltop to exit on SIGHUP',
    );
    expect(leftovers()).toEqual([]);
  });
});
