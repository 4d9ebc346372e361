// A guest whose user names tasks with control characters (workload `hostile`: shells that wrote
// escape sequences, a newline, a bidi override, a tab, DEL and a C1 CSI to /proc/self/comm). Every
// one of them is listed, by `umltop tasks` and in the TUI's task view, with its name shown as
// visible escapes; the terminal's title and screen are untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';
import { Fleet } from '../helpers/uml-fleet.js';

// the names as umltop must show them (scripts/guest-init.sh, workload hostile)
const SHOWN = ['x\\e]0;pwned\\a', 'clr\\e[2J', 'nl\\nname', 'bidi\\u202etxt', 'tab\\tdel\\x7f', 'c1\\x9b31m'];
// nothing but text, newlines and the TUI's own SGR colours may reach the terminal
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

let fleet: Fleet;
let tmux: Tmux | undefined;
const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-hostile-run-'));
beforeAll(async () => {
  fs.chmodSync(runtime, 0o700);
  fleet = await Fleet.boot([{ umid: 'hos', workloads: ['hostile'] }]);
}, 60_000);
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(runtime, { recursive: true, force: true });
});
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
});

describe('hostile task names', () => {
  it('umltop tasks lists every task, each hostile name as visible escapes, and the list is complete', async () => {
    const r = await runCli(['tasks', '--uml-dir', fleet.umlDir, 'hos'], { env: { XDG_RUNTIME_DIR: runtime } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n');
    for (const name of SHOWN)
      expect(
        rows.filter((l) => l.includes(` ${name} `)),
        name,
      ).toHaveLength(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(rows[0]).toMatch(/^hos: (\d+) task\(s\) \(the guest counts \1\)/);
  });

  it('a crash bundle holds them as visible escapes too: cat and less show text, not escapes', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-hostile-state-'));
    try {
      const r = await runCli(['bundle', '--uml-dir', fleet.umlDir, 'hos'], {
        env: { XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: state },
      });
      expect(r.code).toBe(0);
      const dir = r.stdout.split('\n')[0]!;
      const dump = fs.readFileSync(path.join(dir, 'sysrq-t.txt'), 'utf8');
      // whole, from the console log; a file keeps newlines and tabs, so those two names are lines apart
      for (const name of ['x\\e]0;pwned\\a', 'clr\\e[2J', 'bidi\\u202etxt', 'tab\tdel\\x7f', 'c1\\x9b31m'])
        expect(dump, name).toContain(`task:${name}`);
      expect(dump).toMatch(/task:nl\nname +state:S/);
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.txt')))
        expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).not.toMatch(
          /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/,
        ); // tabs are /proc's own
    } finally {
      fs.rmSync(state, { recursive: true, force: true });
    }
  });

  it('the TUI task view shows them in a real terminal; its title and screen stay its own', async () => {
    tmux = new Tmux();
    const t = tmux;
    t.start(`node ${BIN} --uml-dir ${fleet.umlDir}`, 120, 40, { XDG_RUNTIME_DIR: runtime, TERM: 'xterm-256color' });
    const title = () => t.tmux('display-message', '-p', '-t', t.session, '#{pane_title}').trim();
    const before = title();
    await t.select('hos');
    await t.type('t');
    await t.waitScreen((l) => l.some((x) => /hos: tasks \(sysrq t/.test(x)), 'the task view', 20_000);
    // the view scrolls: search for each name, as a person would
    for (const name of SHOWN) {
      await t.type('/', name.slice(0, 4), 'Enter');
      await t.waitScreen((l) => l.some((x) => x.includes(name)), `${name} in the task view`);
    }
    expect(title()).toBe(before);
    expect(title()).not.toMatch(/pwned/);
    // what reached the terminal: SGR colours and cursor moves of umltop's own, no guest byte as a control
    const raw = t.raw(); // bytes, read as latin1
    expect(raw).not.toContain('\u001b]0;pwned');
    expect(raw).not.toContain('clr\u001b[2J');
    expect(raw).not.toContain('\u00c2\u009b'); // U+009B (C1 CSI) in UTF-8
    expect(raw).not.toContain('\u00e2\u0080\u00ae'); // U+202E (right-to-left override) in UTF-8
    expect(raw).not.toMatch(/tab\tdel|del\u007f/);
    expect(raw.replace(/\u001b(\[[0-9;?]*[A-Za-z]|\][^\u0007]*\u0007|[()][0-9A-B]|[=>78])/g, '')).not.toMatch(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/,
    );
  });
});
