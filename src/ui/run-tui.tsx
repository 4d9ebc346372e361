// Owns the terminal: alternate screen, Ink with incremental rendering and a frame-rate cap,
// resizes, and a clean exit on every path (q, ctrl-c, SIGTERM, SIGHUP, a closed terminal).
import chalk from 'chalk';
import fs from 'node:fs';
import { render } from 'ink';
import { onExit } from '../runtime/exit-hooks.js';
import type { Poller } from '../runtime/poller.js';
import type { Store } from '../state/store.js';
import { fmtMiB, HotplugRefused, parseAmount, planHotplug, runHotplug, type HotplugPlan } from '../actions/hotplug.js';
import { Journal } from '../state/journal.js';
import { Ledger } from '../state/ledger.js';
import { App, type Controller } from './app.js';
import { makeTheme } from './theme.js';

export interface TuiOptions {
  ledger?: Ledger;
  journal?: Journal;
  store: Store;
  poller: Poller;
  noColor: boolean;
  ascii: boolean;
  readOnly: boolean;
  helpNotes?: string[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  maxFps?: number;
}

const INTERVAL_STEPS = [250, 500, 1000, 2000, 3000, 5000, 10000];
const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?1049l';

export function nextInterval(current: number, direction: 1 | -1): number {
  if (direction > 0) return INTERVAL_STEPS.find((s) => s > current) ?? INTERVAL_STEPS.at(-1)!;
  return [...INTERVAL_STEPS].reverse().find((s) => s < current) ?? INTERVAL_STEPS[0]!;
}

/** Run the TUI until the user quits or the terminal goes away. Resolves with the exit code. */
export function runTui(o: TuiOptions): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  if (o.noColor) chalk.level = 0;
  const theme = makeTheme({ color: !o.noColor, ascii: o.ascii });
  return new Promise<number>((resolve) => {
    let done = false;
    let terminalGone = false;
    const write = (s: string) => { if (!terminalGone) { try { stdout.write(s); } catch { terminalGone = true; } } };
    write(ENTER_ALT);
    const finish = (code: number) => {
      if (done) return;
      done = true;
      o.poller.stop();
      try { instance.unmount(); } catch { /* terminal may be gone */ }
      write(LEAVE_ALT);
      removeHook();
      process.removeListener('SIGHUP', onHangup);
      process.removeListener('SIGTERM', onTerm);
      stdout.removeListener('resize', onResize);
      stdout.removeListener('error', onStdoutError);
      resolve(code);
    };
    const controller: Controller = {
      stepInterval: (d) => {
        const ms = nextInterval(o.poller.intervalMs, d);
        o.poller.setIntervalMs(ms);
        return ms;
      },
      quit: () => finish(0),
      redraw: () => { instance.clear(); write('\u001b[2J\u001b[H'); rerender(); },
      memPlan: async (key, text) => {
        try {
          const deps = hotplugDeps(key);
          const amount = parseAmount(text);
          const plan = await planHotplug(target(key), amount, deps);
          plans.set(key, plan);
          const avail = plan.meminfo.MemAvailable ?? plan.meminfo.MemFree ?? 0;
          return { ok: true, warning: plan.warning,
            message: `${amount < 0 ? 'Take' : 'Give back'} ${fmtMiB(Math.abs(amount), false)} ${amount < 0 ? 'from' : 'to'} ${plan.target.umid}: guest MemAvailable ${fmtMiB(avail, false)} → about ${fmtMiB(Math.max(0, avail + amount), false)}` };
        } catch (e) {
          return { ok: false, error: e instanceof HotplugRefused ? e.message : `could not check: ${(e as Error).message}` };
        }
      },
      memRun: async (key, onProgress) => {
        const plan = plans.get(key);
        plans.delete(key);
        if (!plan) return { ok: false, message: 'nothing checked to run' };
        try {
          const r = await runHotplug(plan, hotplugDeps(key), { onProgress: (done, total) => onProgress(`${fmtMiB(done, false)} of ${fmtMiB(total, false)}`) });
          o.store.event({ type: 'action', key, umid: plan.target.umid, severity: r.partial ? 'warn' : 'info', message: `${plan.target.umid}: memory ${r.message}` });
          void o.poller.sample(key);
          return { ok: !r.partial, message: r.message };
        } catch (e) {
          return { ok: false, message: `failed: ${(e as Error).message}` };
        }
      },
    };
    const plans = new Map<string, HotplugPlan>();
    const ledger = o.ledger ?? new Ledger();
    const journal = o.journal ?? new Journal();
    const target = (key: string) => {
      const r = o.store.records.get(key);
      if (!r || !r.pid) throw new HotplugRefused('that instance is gone');
      return { umid: r.umid, umlDir: r.umlDir, pid: r.pid };
    };
    const hotplugDeps = (key: string) => {
      const client = o.poller.clientFor(key);
      if (!client) throw new HotplugRefused('that instance is not being watched (dead or invalid)');
      return { client, ledger, journal, readOnly: o.readOnly };
    };
    const keyLogFile = process.env.UMLTOP_DEBUG_KEYS;
    const keyLog = keyLogFile ? (input: string, key: object) => {
      try { fs.appendFileSync(keyLogFile, JSON.stringify({ input, key: Object.fromEntries(Object.entries(key).filter(([, v]) => v)) }) + '\n'); } catch { /* best effort */ }
    } : undefined;
    const element = () => (
      <App store={o.store} columns={stdout.columns || 80} rows={stdout.rows || 24} theme={theme} controller={controller}
           readOnly={o.readOnly} helpNotes={o.helpNotes} onKey={keyLog} />
    );
    const instance = render(element(), {
      stdout, stdin, exitOnCtrlC: false, patchConsole: false, incrementalRendering: process.env.UMLTOP_INCREMENTAL !== "0", maxFps: o.maxFps ?? 10,
    });
    const rerender = () => { if (!done) instance.rerender(element()); };
    const onResize = () => { instance.clear(); write('\u001b[2J\u001b[H'); rerender(); };
    const onHangup = () => { terminalGone = true; finish(129); };
    const onTerm = () => finish(143);
    const onStdoutError = () => { terminalGone = true; finish(74); };
    stdout.on('resize', onResize);
    stdout.on('error', onStdoutError);
    process.on('SIGHUP', onHangup);
    process.on('SIGTERM', onTerm);
    // Last resort for abrupt exits: leave the alternate screen, show the cursor.
    const removeHook = onExit(() => { if (!done) write(LEAVE_ALT + '\u001b[?25h'); });
    o.poller.start();
  });
}
