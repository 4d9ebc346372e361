// Global options shared by the TUI and batch modes.
import { allUsersUmlDirs } from '../collectors/discovery.js';
import { defaultUmlDir } from '../mconsole/resolve.js';
import { flag, flagList, parseArgs, seconds, UsageError, type FlagSpec, type ParsedArgs } from './args.js';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'uml-dir', takesValue: true, repeatable: true },
  { name: 'all-users' },
  { name: 'interval', short: 'd', takesValue: true },
  { name: 'timeout', takesValue: true },
  { name: 'once' },
  { name: 'batch', short: 'b' },
  { name: 'iterations', short: 'n', takesValue: true },
  { name: 'json' },
  { name: 'csv' },
  { name: 'no-color' },
  { name: 'ascii' },
  { name: 'read-only' },
  { name: 'auto-resume', takesValue: true },
  { name: 'notify-socket', takesValue: true },
  { name: 'record', takesValue: true },
  { name: 'help', short: 'h' },
  { name: 'version', short: 'V' },
];

export interface GlobalOptions {
  umlDirs: string[];
  intervalMs: number;
  timeoutMs: number;
  once: boolean;
  batch: boolean;
  iterations?: number;
  format: 'json' | 'csv' | 'text';
  noColor: boolean;
  ascii: boolean;
  readOnly: boolean;
  /** Resume instances umltop paused after this long (ms). */
  autoResumeMs?: number;
  notifySocket?: string;
  /** Flight recorder file (JSON lines). */
  record?: string;
}

export function globalOptions(p: ParsedArgs, env: NodeJS.ProcessEnv): GlobalOptions {
  const dirs = flagList(p, 'uml-dir');
  if (flag(p, 'all-users')) {
    if (process.getuid?.() !== 0) throw new UsageError('--all-users needs root (it reads every user\'s ~/.uml)');
    dirs.push(...allUsersUmlDirs());
  }
  const umlDirs = [...new Set((dirs.length ? dirs : [defaultUmlDir(env)]).map((d) => d.replace(/\/+$/, '') || '/'))];
  const intervalMs = Math.round(seconds(flag(p, 'interval'), 'interval', 1) * 1000);
  if (intervalMs < 100) throw new UsageError('--interval must be at least 0.1 s');
  const timeoutMs = Math.round(seconds(flag(p, 'timeout'), 'timeout', Math.min(2, Math.max(0.5, intervalMs / 1000))) * 1000);
  const n = flag(p, 'iterations');
  const iterations = n === undefined ? undefined : Number(n);
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1)) throw new UsageError(`-n must be a positive whole number, not '${n}'`);
  if (flag(p, 'json') && flag(p, 'csv')) throw new UsageError('choose one of --json and --csv');
  return {
    umlDirs, intervalMs, timeoutMs,
    once: Boolean(flag(p, 'once')),
    batch: Boolean(flag(p, 'batch')),
    iterations,
    format: flag(p, 'csv') ? 'csv' : flag(p, 'json') ? 'json' : 'text',
    noColor: Boolean(flag(p, 'no-color')) || (env.NO_COLOR !== undefined && env.NO_COLOR !== ''),
    ascii: Boolean(flag(p, 'ascii')),
    readOnly: Boolean(flag(p, 'read-only')),
    notifySocket: flag(p, 'notify-socket'),
    record: flag(p, 'record'),
    autoResumeMs: flag(p, 'auto-resume') === undefined ? undefined : Math.round(seconds(flag(p, 'auto-resume'), 'auto-resume', 60) * 1000),
  };
}

/** A subcommand taking the global flags and exactly `count` positionals; throws UsageError with `usage`. */
export function subcommandArgs(argv: string[], env: NodeJS.ProcessEnv, usage: string, count: number): { opts: GlobalOptions; positionals: string[] } {
  const parsed = parseArgs(argv, GLOBAL_FLAGS);
  const opts = globalOptions(parsed, env);
  if (parsed.positionals.length !== count) throw new UsageError(usage);
  return { opts, positionals: parsed.positionals };
}
