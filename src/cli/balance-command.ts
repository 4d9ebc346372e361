// `umltop balance [--once] [--apply] [--json]`: the memory balancer. A round every [balance] every
// seconds (default 10): each guest's decision, a line (or a JSON object) each; a dry run unless
// --apply. Limits in the config file's [balance] (README, Memory pressure).
import { onExit } from '../runtime/exit-hooks.js';
import { systemClock } from '../runtime/clock.js';
import { flag, parseArgs, UsageError } from '../config/args.js';
import { GLOBAL_FLAGS, type GlobalOptions, globalOptions } from '../config/options.js';
import { Journal } from '../state/journal.js';
import { Ledger } from '../state/ledger.js';
import { type BalanceOutcome, Balancer, outcomeJson, outcomeLine } from '../actions/balance.js';
import { storeAndPoller } from './collection.js';
import { sanitizeLine } from '../text/sanitize.js';

export const BALANCE_USAGE =
  'usage: umltop balance [--uml-dir DIR]... [--once] [--apply] [--json] [-n ROUNDS]   (a dry run unless --apply; limits in the config file, [balance])';

/** The window the balancer's pressure rates are taken over. */
const PRESSURE_WINDOW_MS = 3000;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function balanceCommand(argv: string[], io: Io): Promise<number> {
  let opts: GlobalOptions;
  let apply: boolean;
  try {
    const parsed = parseArgs(argv, [...GLOBAL_FLAGS, { name: 'apply' }]);
    if (flag(parsed, 'help')) {
      io.stdout.write(`${BALANCE_USAGE}\n`);
      return 0;
    }
    if (parsed.positionals.length) throw new UsageError(`unexpected '${parsed.positionals[0]}'`);
    opts = await globalOptions(parsed, io.env);
    apply = Boolean(flag(parsed, 'apply'));
    if (apply && opts.readOnly) throw new UsageError('--apply and --read-only: choose one (read-only writes nothing)');
    if (opts.format === 'csv') throw new UsageError('balance writes text or --json lines, not CSV');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop balance: ${e.message}\n${BALANCE_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  // Every guest asked for vmstat every PRESSURE_WINDOW_MS (the interval unless one is given), quiet
  // or not: over one second the rates flicker (a guest re-reading its working set stalls in
  // bursts), and quiet sampling would read an idle guest's vmstat only every 30 s.
  if (opts.origins.interval === 'default') opts = { ...opts, intervalMs: PRESSURE_WINDOW_MS };
  opts = { ...opts, quietMaxAgeMs: 0 };
  const { store, poller } = storeAndPoller(opts, systemClock, { watch: !opts.once, vmstatEvery: 1 });
  const balancer = new Balancer({
    store,
    poller,
    ledger: new Ledger(io.env),
    journal: new Journal(io.env),
    apply,
    readOnly: opts.readOnly,
  });
  const say = (outcomes: BalanceOutcome[]) => writeRound(io, outcomes, opts.format === 'json', !apply);
  try {
    if (opts.once) {
      await poller.tick();
      await sleep(opts.intervalMs);
      await poller.tick();
      say(await balancer.round());
      return 0;
    }
    return await rounds(opts, poller, balancer, say);
  } finally {
    poller.stop();
  }
}

/** Rounds until a signal (or -n rounds); the first after two vmstat readings of each guest. */
async function rounds(
  opts: GlobalOptions,
  poller: ReturnType<typeof storeAndPoller>['poller'],
  balancer: Balancer,
  say: (o: BalanceOutcome[]) => void,
): Promise<number> {
  let stop = false;
  let wake: () => void = () => {};
  const end = () => {
    stop = true;
    wake();
  };
  const off = onExit(end);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, end);
  poller.start();
  const every = Math.max(opts.balanceEveryMs, 2 * opts.intervalMs);
  const firstAfter = 2 * opts.intervalMs + 500; // two vmstat readings of every guest
  const last = new Map<string, string>();
  try {
    await pause(firstAfter, (w) => (wake = w));
    for (let k = 1; !stop && (opts.iterations === undefined || k <= opts.iterations); k++) {
      const outcomes = await balancer.round();
      // text: moves, and a hold only when its reason changed (a daemon's log stays readable)
      const shown = opts.format === 'json' ? outcomes : outcomes.filter((o) => last.get(o.decision.key) !== said(o));
      for (const o of outcomes) last.set(o.decision.key, said(o));
      say(shown);
      if (opts.iterations !== undefined && k >= opts.iterations) break;
      await pause(every, (w) => (wake = w));
    }
  } finally {
    off();
  }
  return 0;
}

const said = (o: BalanceOutcome) => `${o.decision.action} ${o.decision.kib} ${o.decision.reason}`;

function writeRound(io: Io, outcomes: BalanceOutcome[], json: boolean, dryRun: boolean): void {
  const time = new Date().toISOString();
  if (json) {
    for (const o of outcomes) io.stdout.write(`${JSON.stringify(outcomeJson(o, time, dryRun))}\n`);
    return;
  }
  if (!outcomes.length) return;
  const width = Math.min(24, Math.max(8, ...outcomes.map((o) => o.decision.umid.length)));
  const head = `# ${time}${dryRun ? ' dry run (--apply makes the moves)' : ''}`;
  io.stdout.write(`${head}\n${outcomes.map((o) => sanitizeLine(outcomeLine(o, width))).join('\n')}\n`);
}

function pause(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
