// Owns the terminal: alternate screen, Ink (its frames written as cell diffs) with a frame-rate
// cap, resizes, and a clean exit on every path (q, ctrl-c, SIGTERM, SIGHUP, a closed terminal).
import chalk from 'chalk';
import fs from 'node:fs';
import { type Instance, render } from 'ink';
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
  if (o.noColor) chalk.level = 0;
  else if (chalk.level === 0) chalk.level = colourDepthUnderCi(process.env, Boolean(stdout.isTTY));
  return new Promise<number>((resolve) => new TerminalSession(o, stdout, resolve).start());
}

/** One run of the TUI on one terminal, from the alternate screen in to the exit code out. */
class TerminalSession {
  private done = false;
  private terminalGone = false;
  /** The terminal is a guest console's (ctrl-] gives it back): Ink lets go of the keyboard, its frames are dropped. */
  private handedOver = false;
  private readonly stdin: NodeJS.ReadStream;
  private readonly theme: ReturnType<typeof makeTheme>;
  private readonly keymap: ReturnType<typeof makeKeymap>;
  private readonly actions: InstanceActions;
  private readonly inkOut: NodeJS.WriteStream & { reset(): void; repaint(): void };
  private readonly keyLog: fs.WriteStream | undefined;
  private instance!: Instance;
  private removeHook: () => void = () => {};

  constructor(
    private readonly o: TuiOptions,
    private readonly stdout: NodeJS.WriteStream,
    private readonly resolve: (code: number) => void,
  ) {
    this.stdin = o.stdin ?? process.stdin;
    this.theme = makeTheme({ color: !o.noColor, ascii: o.ascii, palette: o.palette });
    this.keymap = makeKeymap({ readOnly: o.readOnly, replay: o.replay !== undefined }, o.keys);
    // Key log for bug reports: an append stream, so logging a key never blocks drawing.
    this.keyLog = process.env.UMLTOP_DEBUG_KEYS
      ? fs.createWriteStream(process.env.UMLTOP_DEBUG_KEYS, { flags: 'a' }).on('error', () => {
          /* best effort */
        })
      : undefined;
    this.inkOut = whileNotHandedOver(cellDiffStdout(stdout), () => this.handedOver);
    this.actions = new InstanceActions({
      store: o.store,
      poller: o.poller,
      ledger: o.ledger ?? new Ledger(),
      journal: o.journal ?? new Journal(),
      autoResumeMs: o.autoResumeMs,
      replay: o.replay,
      quit: () => this.finish(0),
      redraw: () => this.repaint(),
      handover: (run) => this.handover(run),
    });
  }

  start(): void {
    this.write(ENTER_ALT);
    // Discovery first (synchronous, a few ms): the first frame already lists every instance.
    this.o.poller?.start();
    this.instance = render(this.element(), {
      stdout: this.inkOut,
      stdin: this.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      // Ink's throttle held a key's frame back up to 1/maxFps after a store frame; store frames
      // are spaced by use-frame.ts, so this only caps bursts of keys
      maxFps: this.o.maxFps ?? 60,
    });
    this.stdout.on('resize', this.onResize);
    this.stdout.on('error', this.onStdoutError);
    process.on('SIGHUP', this.onHangup);
    process.on('SIGTERM', this.onTerm);
    // Last resort for abrupt exits: leave the alternate screen, show the cursor.
    this.removeHook = onExit(() => {
      if (!this.done) this.write(`${LEAVE_ALT}\u001b[?25h`);
    });
  }

  private element() {
    return (
      <App
        store={this.o.store}
        columns={this.stdout.columns || 80}
        rows={this.stdout.rows || 24}
        theme={this.theme}
        controller={this.actions}
        keymap={this.keymap}
        helpNotes={this.o.helpNotes}
        onKey={this.keyLog ? (raw) => this.keyLog!.write(`${JSON.stringify({ raw })}\n`) : undefined}
        inputActive={!this.handedOver}
      />
    );
  }

  private write(s: string): void {
    if (this.terminalGone) return;
    try {
      this.stdout.write(s);
    } catch {
      this.terminalGone = true;
    }
  }

  private rerender(): void {
    if (!this.done) this.instance.rerender(this.element());
  }

  /** The whole frame again on a cleared screen (ctrl-l, back from a console): Ink writes nothing when its frame did not change. */
  private repaint(): void {
    if (this.handedOver) return;
    this.write('\u001b[2J\u001b[H');
    this.inkOut.repaint();
    this.rerender();
  }

  private async handover<T>(
    run: (t: { input: NodeJS.ReadStream; output: NodeJS.WriteStream }) => Promise<T>,
  ): Promise<T> {
    this.handedOver = true;
    const size = `${this.stdout.columns}x${this.stdout.rows}`;
    this.rerender();
    // React runs the effect that lets go of raw mode after the render: let it run first
    await new Promise((r) => setTimeout(r, 50));
    this.write('\u001b[2J\u001b[H\u001b[?25h');
    try {
      return await run({ input: this.stdin, output: this.stdout });
    } finally {
      this.handedOver = false;
      this.write('\u001b[?25l');
      if (size === `${this.stdout.columns}x${this.stdout.rows}`) this.repaint();
      else this.onResize(); // resized while away: a frame of the new size
    }
  }

  private readonly onResize = () => {
    if (this.handedOver) return; // drawn whole when the console is left
    this.instance.clear();
    this.write('\u001b[2J\u001b[H');
    this.inkOut.reset();
    this.rerender();
  };
  private readonly onHangup = () => {
    this.terminalGone = true;
    this.finish(129);
  };
  private readonly onTerm = () => this.finish(143);
  private readonly onStdoutError = () => {
    this.terminalGone = true;
    this.finish(74);
  };

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.o.poller?.stop();
    this.o.replay?.stop();
    try {
      this.instance.unmount();
    } catch {
      /* terminal may be gone */
    }
    this.write(LEAVE_ALT);
    this.actions.close();
    this.keyLog?.end();
    const left = this.actions.leftPaused();
    if (left.length)
      process.stderr.write(`umltop: left paused by this umltop:\n${left.map((l) => `  ${l}\n`).join('')}`);
    this.removeHook();
    process.removeListener('SIGHUP', this.onHangup);
    process.removeListener('SIGTERM', this.onTerm);
    this.stdout.removeListener('resize', this.onResize);
    this.stdout.removeListener('error', this.onStdoutError);
    this.resolve(code);
  }
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
