// Owns the terminal: alternate screen, Ink with incremental rendering and a frame-rate cap,
// resizes, and a clean exit on every path (q, ctrl-c, SIGTERM, SIGHUP, a closed terminal).
import chalk from 'chalk';
import fs from 'node:fs';
import { render } from 'ink';
import { onExit } from '../runtime/exit-hooks.js';
import type { Poller } from '../collectors/poller.js';
import type { Store } from '../state/store.js';
import { Journal } from '../state/journal.js';
import { Ledger } from '../state/ledger.js';
import type { Action } from './keys/action.js';
import type { ReplayControls } from '../actions/controller.js';
import { InstanceActions } from '../actions/instance-actions.js';
import { makeKeymap } from './keys/keymap.js';
import { App } from './app.js';
import { colourDepthUnderCi, makeTheme } from './theme.js';
import { cellDiffStdout } from './ink-fork/cell-diff.js';

export interface TuiOptions {
  /** Replaying a recording: no poller, replay keys instead. */
  replay?: ReplayControls;
  /** The action table with the config file's bindings (default: as shipped). */
  keys?: Action[];
  /** Resume instances this umltop paused after this long (ms); off when undefined. */
  autoResumeMs?: number;
  ledger?: Ledger;
  journal?: Journal;
  store: Store;
  poller: Poller | undefined;
  noColor: boolean;
  ascii: boolean;
  /** Colour overrides (the config file's [theme]). */
  palette?: Record<string, string>;
  readOnly: boolean;
  helpNotes?: string[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  maxFps?: number;
}

const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?1049l';

/** Run the TUI until the user quits or the terminal goes away. Resolves with the exit code. */
export function runTui(o: TuiOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  if (o.noColor) chalk.level = 0;
  else if (chalk.level === 0)
    chalk.level = colourDepthUnderCi(process.env, Boolean((stdout as NodeJS.WriteStream).isTTY));
  const theme = makeTheme({ color: !o.noColor, ascii: o.ascii, palette: o.palette });
  return new Promise<number>((resolve) => {
    let done = false;
    let terminalGone = false;
    const write = (s: string) => {
      if (!terminalGone) {
        try {
          stdout.write(s);
        } catch {
          terminalGone = true;
        }
      }
    };
    write(ENTER_ALT);
    const finish = (code: number) => {
      if (done) return;
      done = true;
      o.poller?.stop();
      o.replay?.stop();
      try {
        instance.unmount();
      } catch {
        /* terminal may be gone */
      }
      write(LEAVE_ALT);
      actions.close();
      keyLogStream?.end();
      const left = actions.leftPaused();
      if (left.length)
        process.stderr.write(`umltop: left paused by this umltop:\n${left.map((l) => `  ${l}\n`).join('')}`);
      removeHook();
      process.removeListener('SIGHUP', onHangup);
      process.removeListener('SIGTERM', onTerm);
      stdout.removeListener('resize', onResize);
      stdout.removeListener('error', onStdoutError);
      resolve(code);
    };
    const actions = new InstanceActions({
      store: o.store,
      poller: o.poller,
      ledger: o.ledger ?? new Ledger(),
      journal: o.journal ?? new Journal(),
      autoResumeMs: o.autoResumeMs,
      replay: o.replay,
      quit: () => finish(0),
      redraw: () => repaint(),
      handover: async (run) => {
        // Ink lets go of the keyboard and its frames are dropped until the console is left
        handedOver = true;
        const size = `${stdout.columns}x${stdout.rows}`;
        rerender();
        // React runs the effect that makes Ink let go of raw mode after the render: let it run first
        await new Promise((r) => setTimeout(r, 50));
        write('\u001b[2J\u001b[H\u001b[?25h');
        try {
          return await run({ input: stdin as NodeJS.ReadStream, output: stdout as NodeJS.WriteStream });
        } finally {
          handedOver = false;
          write('\u001b[?25l');
          if (size === `${stdout.columns}x${stdout.rows}`) repaint();
          else onResize(); // resized while away: a frame of the new size
        }
      },
    });
    let handedOver = false;
    // the whole frame again, on a cleared screen (ctrl-l, back from a console): the cell diff
    // draws what it has whole; Ink's own output is made to start again
    const repaint = () => {
      if (handedOver) return;
      write('\u001b[2J\u001b[H');
      if (inkOut.repaint) inkOut.repaint();
      else instance.clear();
      rerender();
    };
    const keymap = makeKeymap({ readOnly: o.readOnly, replay: o.replay !== undefined }, o.keys);
    // Key log for bug reports: an append stream, so logging a key never blocks drawing.
    const keyLogStream = process.env.UMLTOP_DEBUG_KEYS
      ? fs.createWriteStream(process.env.UMLTOP_DEBUG_KEYS, { flags: 'a' }).on('error', () => {
          /* best effort */
        })
      : undefined;
    const keyLog = keyLogStream
      ? (raw: string) => {
          keyLogStream.write(`${JSON.stringify({ raw })}\n`);
        }
      : undefined;
    const element = () => (
      <App
        store={o.store}
        columns={stdout.columns || 80}
        rows={stdout.rows || 24}
        theme={theme}
        controller={actions}
        keymap={keymap}
        helpNotes={o.helpNotes}
        onKey={keyLog}
        inputActive={!handedOver}
      />
    );
    // Frames go out as cell diffs (UMLTOP_CELL_DIFF=0: Ink's own line-by-line incremental output,
    // for comparing the two).
    const cellDiff = process.env.UMLTOP_CELL_DIFF !== '0';
    const inkOut: NodeJS.WriteStream & { reset?(): void; repaint?(): void } = whileNotHandedOver(
      cellDiff ? cellDiffStdout(stdout) : stdout,
      () => handedOver,
    );
    // Discovery first (synchronous, a few ms): the first frame already lists every instance.
    o.poller?.start();
    const instance = render(element(), {
      stdout: inkOut,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: !cellDiff,
      maxFps: o.maxFps ?? 10,
    });
    const rerender = () => {
      if (!done) instance.rerender(element());
    };
    const onResize = () => {
      if (handedOver) return; // drawn whole when the console is left
      instance.clear();
      write('\u001b[2J\u001b[H');
      inkOut.reset?.();
      rerender();
    };
    const onHangup = () => {
      terminalGone = true;
      finish(129);
    };
    const onTerm = () => finish(143);
    const onStdoutError = () => {
      terminalGone = true;
      finish(74);
    };
    stdout.on('resize', onResize);
    stdout.on('error', onStdoutError);
    process.on('SIGHUP', onHangup);
    process.on('SIGTERM', onTerm);
    // Last resort for abrupt exits: leave the alternate screen, show the cursor.
    const removeHook = onExit(() => {
      if (!done) write(`${LEAVE_ALT}\u001b[?25h`);
    });
  });
}

/** Ink's output, dropped while the terminal is a guest console's (the frame is redrawn after). */
function whileNotHandedOver<S extends NodeJS.WriteStream>(out: S, handedOver: () => boolean): S {
  return new Proxy(out, {
    get(target, prop, receiver) {
      if (prop === 'write')
        return (chunk: unknown, ...rest: unknown[]) => {
          if (!handedOver()) return (target.write as (...a: unknown[]) => boolean)(chunk, ...rest);
          (rest.find((x) => typeof x === 'function') as (() => void) | undefined)?.();
          return true;
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
