// umltop console on real guests, in a real pseudo-terminal (node-pty): a shell on the guest's con1
// answers what is typed, ctrl-] detaches with exit 0; a guest with no line on a pts is told so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/state/journal.js';
import { StringControlFilter } from '../../src/console/attach.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-console-state-'));
const env = { XDG_STATE_HOME: state, TERM: 'xterm-256color' };

beforeAll(async () => {
  fleet = await Fleet.boot([
    { umid: 'con-shell', workloads: ['shell'], args: ['con1=pts'] },
    { umid: 'con-none', workloads: ['idle'] },
  ]);
}, 60_000);
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(state, { recursive: true, force: true });
});

/** umltop in a pseudo-terminal: its output so far, its exit code when it has one. */
function inPty(args: string[]) {
  const p = pty.spawn(process.execPath, [BIN, ...args], {
    cols: 100,
    rows: 30,
    env: { ...process.env, ...env } as Record<string, string>,
  });
  const out = { text: '', code: undefined as number | undefined };
  p.onData((d) => {
    out.text += d;
  });
  p.onExit((e) => {
    out.code = e.exitCode;
  });
  return { p, out };
}

describe('umltop console', () => {
  it('attaches to the shell on con1: a typed command answers, ctrl-] detaches with exit 0', async () => {
    const { p, out } = inPty(['console', '--uml-dir', fleet.umlDir, 'con-shell']);
    try {
      await waitFor(() => /ctrl-\] detaches/.test(out.text), 10_000, 'the attach message');
      expect(out.text).toMatch(/attached to con-shell con1 \(\/dev\/pts\/\d+\)/);
      // the guest computes the answer, so it cannot be the terminal's echo of what was typed
      p.write('echo umltop-$((6*7))-ok\r');
      await waitFor(() => /umltop-42-ok/.test(out.text), 10_000, "the guest shell's answer");
      p.write('\x1d');
      await waitFor(() => out.code !== undefined, 5000, 'umltop to exit');
      expect(out.code).toBe(0);
      expect(out.text).toMatch(/umltop console: detached/);
    } finally {
      p.kill();
    }
    const journal = new Journal({ XDG_STATE_HOME: state }).read();
    expect(journal.some((j) => j.umid === 'con-shell' && /^console attach con1 /.test(j.command))).toBe(true);
  });

  it('with no line on a pts: lists the lines and what they are connected to, offers a switch', async () => {
    const { p, out } = inPty(['console', '--uml-dir', fleet.umlDir, 'con-none']);
    try {
      await waitFor(() => /\[y\/N\]/.test(out.text), 10_000, 'the offer to switch');
      expect(out.text).toMatch(/no line of con-none is on a pts/);
      expect(out.text).toMatch(/con0 +null/);
      expect(out.text).toMatch(/ssl0 +pty/);
      expect(out.text).toMatch(/con1 +null/);
      expect(out.text).toMatch(/Switch con1 \(now null\) to a pts\?/);
      p.write('n\r');
      await waitFor(() => out.code !== undefined, 5000, 'umltop to exit');
      expect(out.code).toBe(1);
    } finally {
      p.kill();
    }
    // declined: nothing was sent, the line is as it was
    const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'con-none', 'config con1'], { env });
    expect(r.stdout.trim()).toMatch(/null/);
  });

  it('--switch moves an unopened line to a pts (journaled) and says the guest has not opened it yet', async () => {
    const r = await runCli(['console', '--uml-dir', fleet.umlDir, '--switch', 'con-none', 'con2'], { env });
    expect(r.stderr).toMatch(/con2 is on a pts now; the guest has not opened it yet/);
    expect(r.code).toBe(1);
    const after = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'con-none', 'config con2'], { env });
    expect(after.stdout.trim()).toMatch(/pts/);
    const journal = new Journal({ XDG_STATE_HOME: state }).read();
    expect(journal.some((j) => j.umid === 'con-none' && j.command === 'config con2=pts' && j.outcome === 'ok')).toBe(
      true,
    );
  });

  it('refuses an open line, a line that does not exist and --read-only, with a clear message', async () => {
    const open = await runCli(['console', '--uml-dir', fleet.umlDir, '--switch', 'con-none', 'con0'], { env });
    expect(open.stderr).toMatch(/con0 is open in the guest: it cannot be switched/);
    expect(open.code).toBe(1);
    const none = await runCli(['console', '--uml-dir', fleet.umlDir, 'con-none', 'con63'], { env });
    expect(none.stderr).toMatch(/con-none has no line con63/);
    const ro = await runCli(['console', '--uml-dir', fleet.umlDir, '--read-only', 'con-shell'], { env });
    expect(ro.stderr).toMatch(/refused: a console is a way to write/);
    expect(ro.code).toBe(2);
  });
});

describe('what a guest console may not send to the terminal', () => {
  it('drops OSC, DCS and APC strings (titles, clipboard, queries), across chunks; keeps colours', () => {
    const f = new StringControlFilter();
    const a = f.push(Buffer.from('ok \x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA=='));
    const b = f.push(Buffer.from('\x07 \x1bP+q544e\x1b\\done \x1b_x\x1b\\!'));
    expect(Buffer.concat([a, b]).toString()).toBe('ok \x1b[31mred\x1b[0m  done !');
  });
});
