// Global options shared by the TUI and batch modes.
import { type BalancePolicy, DEFAULT_POLICY } from '../state/advice.js';
import { allUsersUmlDirs } from '../collectors/discovery.js';
import { isSshDestination } from './keys.js';
import { loadConfig, keyBindings } from './load.js';
import type { ConfigFile } from './schema.js';
import { defaultUmlDir } from '../mconsole/resolve.js';
import { DEFAULT_THRESHOLDS, type AlertThresholds } from '../state/alerts.js';
import { flag, flagList, parseArgs, seconds, UsageError, type FlagSpec, type ParsedArgs } from './args.js';

/** Every global flag, with the words --help, the man page and the bash completion use. */
export const GLOBAL_FLAGS: Array<FlagSpec & { arg?: string; help: string; files?: boolean }> = [
  {
    name: 'uml-dir',
    takesValue: true,
    repeatable: true,
    arg: 'DIR',
    files: true,
    help: 'watch only the instances in DIR (repeatable; default ~/.uml and the dir of every UML kernel in the process table)',
  },
  { name: 'all-users', help: "watch every user's ~/.uml (root only)" },
  {
    name: 'interval',
    short: 'd',
    takesValue: true,
    arg: 'S',
    help: 'seconds between samples (default 1, at least 0.1)',
  },
  {
    name: 'timeout',
    takesValue: true,
    arg: 'S',
    help: 'seconds to wait for an mconsole answer (default: the interval, 0.5 to 2)',
  },
  {
    name: 'quiet-max-age',
    takesValue: true,
    arg: 'S',
    help: 'ask a quiet instance (its kernel did nothing since last asked) at least every S seconds (default 5)',
  },
  { name: 'full-rate', help: 'ask every instance every interval, quiet or not' },
  { name: 'once', help: 'one report from two samples an interval apart, then exit' },
  { name: 'batch', short: 'b', help: 'one report per interval, no screen (top -b)' },
  { name: 'iterations', short: 'n', takesValue: true, arg: 'N', help: 'with --batch: stop after N reports' },
  { name: 'json', help: 'reports as JSON (schema umltop/1, one document per line with --batch)' },
  { name: 'csv', help: 'reports as CSV rows' },
  { name: 'no-color', help: 'no colours (also when NO_COLOR is set)' },
  { name: 'ascii', help: 'ASCII borders and glyphs only' },
  { name: 'no-io', help: 'collect no disk and network I/O (no diskstats requests, no tap counters)' },
  {
    name: 'nice',
    takesValue: true,
    arg: 'N',
    help: 'the TUI runs at nice N (default -5 when started at 0 and allowed: keys answered on a busy host)',
  },
  { name: 'read-only', help: 'refuse everything that writes to an instance (hotplug, stop, sysrq, ...)' },
  { name: 'auto-resume', takesValue: true, arg: 'S', help: 'resume instances this umltop paused after S seconds' },
  {
    name: 'notify-socket',
    takesValue: true,
    arg: 'PATH',
    files: true,
    help: 'listen for mconsole=notify:PATH notifications here (default: in the runtime dir)',
  },
  {
    name: 'record',
    takesValue: true,
    arg: 'FILE',
    files: true,
    help: 'flight recorder: append every input to FILE (JSON lines) for umltop replay',
  },
  {
    name: 'host',
    takesValue: true,
    repeatable: true,
    arg: 'DEST',
    help: 'also watch the instances on DEST (an ssh destination; repeatable)',
  },
  { name: 'feed', help: "stream this host's store inputs as JSON lines (what --host runs on the far end)" },
  { name: 'ssh', takesValue: true, arg: 'CMD', help: 'the ssh command for --host (default: ssh)' },
  { name: 'remote-umltop', takesValue: true, arg: 'CMD', help: 'the umltop command on --host hosts (default: umltop)' },
  {
    name: 'config',
    takesValue: true,
    arg: 'FILE',
    files: true,
    help: 'read settings from FILE instead of $XDG_CONFIG_HOME/umltop/config.toml',
  },
  { name: 'no-config', help: 'ignore the config file' },
  { name: 'print-config', help: 'print the effective settings (flags > file > defaults) and exit' },
  { name: 'help', short: 'h', help: 'this help' },
  { name: 'version', short: 'V', help: 'the version' },
];

export interface GlobalOptions {
  umlDirs: string[];
  /** No uml dir given (flag or file): also every uml dir a UML kernel in the process table lives in. */
  processTable: boolean;
  intervalMs: number;
  timeoutMs: number;
  /** A quiet instance is asked at least this often (ms); 0: every instance every interval (`--full-rate`). */
  quietMaxAgeMs: number;
  once: boolean;
  batch: boolean;
  iterations?: number;
  format: 'json' | 'csv' | 'text';
  noColor: boolean;
  /** Collect disk and network I/O (`--no-io`, config `io = false`: off). */
  io: boolean;
  ascii: boolean;
  /** The TUI's nice value (`--nice`, config `nice`); unset: DEFAULT_TUI_NICE over an inherited 0. */
  nice?: number;
  readOnly: boolean;
  /** Resume instances umltop paused after this long (ms). */
  autoResumeMs?: number;
  notifySocket?: string;
  /** Flight recorder file (JSON lines). */
  record?: string;
  /** Remote hosts (ssh destinations) to watch besides this one. */
  hosts: string[];
  /** The ssh command (words) and the umltop command on the remote hosts. */
  ssh: string[];
  remoteUmltop: string;
  /** `--feed`: stream the store's inputs as JSON lines (what `--host` reads on the other end). */
  feed: boolean;
  thresholds: AlertThresholds;
  /** The memory balancer's limits (config [balance]), which the advice shown follows too. */
  balance: BalancePolicy;
  /** Seconds between the balancer's rounds, and whether `umltop serve` runs it. */
  balanceEveryMs: number;
  balanceInServe: 'off' | 'dry-run' | 'apply';
  /** Key overrides (action id → keys) and colour overrides from the config file. */
  keys: Record<string, string[]>;
  palette: NonNullable<ConfigFile['theme']>;
  /** The config file read, if any, and where each effective setting came from. */
  configPath?: string;
  origins: Record<string, 'default' | 'file' | 'flag'>;
}

export async function globalOptions(p: ParsedArgs, env: NodeJS.ProcessEnv): Promise<GlobalOptions> {
  const loaded = await loadConfig(env, flag(p, 'config'), Boolean(flag(p, 'no-config')));
  const file = loaded.config;
  const origins: GlobalOptions['origins'] = {};
  /** flag, else file, else default — remembering which. */
  const pick = <T>(key: string, fromFlag: T | undefined, fromFile: T | undefined, fallback: T): T => {
    origins[key] = fromFlag !== undefined ? 'flag' : fromFile !== undefined ? 'file' : 'default';
    return fromFlag ?? fromFile ?? fallback;
  };
  const bool = (name: string) => (flag(p, name) ? true : undefined);
  const secs = (name: string) => (flag(p, name) === undefined ? undefined : seconds(flag(p, name), name, 1));

  const dirs = [
    ...pick('uml_dirs', flagList(p, 'uml-dir').length ? flagList(p, 'uml-dir') : undefined, file.uml_dirs, [
      defaultUmlDir(env),
    ]),
  ];
  if (pick('all_users', bool('all-users'), file.all_users, false)) {
    if (process.getuid?.() !== 0) throw new UsageError("--all-users needs root (it reads every user's ~/.uml)");
    dirs.push(...allUsersUmlDirs());
  }
  const umlDirs = [...new Set(dirs.map((d) => d.replace(/\/+$/, '') || '/'))];
  const intervalMs = Math.round(pick('interval', secs('interval'), file.interval, 1) * 1000);
  if (intervalMs < 100) throw new UsageError('--interval must be at least 0.1 s');
  const timeoutMs = Math.round(
    pick('timeout', secs('timeout'), file.timeout, Math.min(2, Math.max(0.5, intervalMs / 1000))) * 1000,
  );
  const fullRate = pick('full_rate', bool('full-rate'), file.full_rate, false);
  const quietMaxAge = pick('quiet_max_age', secs('quiet-max-age'), file.quiet_max_age, 5);
  if (quietMaxAge * 1000 < intervalMs) throw new UsageError('--quiet-max-age must be at least the interval');
  const n = flag(p, 'iterations');
  const iterations = n === undefined ? undefined : Number(n);
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1))
    throw new UsageError(`-n must be a positive whole number, not '${n}'`);
  if (flag(p, 'json') && flag(p, 'csv')) throw new UsageError('choose one of --json and --csv');
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = pick('color', flag(p, 'no-color') ? false : noColorEnv ? false : undefined, file.color, true);
  const autoResume = pick('auto_resume', secs('auto-resume'), file.auto_resume, undefined);
  const nice = pick(
    'nice',
    flag(p, 'nice') === undefined ? undefined : niceValue(flag(p, 'nice')!),
    file.nice,
    undefined,
  );
  const t = file.thresholds ?? {};
  const thresholds = thresholdsFrom(t);
  for (const k of Object.keys(t)) origins[`thresholds.${k}`] = 'file';
  return {
    umlDirs,
    processTable: origins.uml_dirs === 'default',
    intervalMs,
    timeoutMs,
    quietMaxAgeMs: fullRate ? 0 : Math.round(quietMaxAge * 1000),
    once: Boolean(flag(p, 'once')),
    batch: Boolean(flag(p, 'batch')),
    iterations,
    format: flag(p, 'csv') ? 'csv' : flag(p, 'json') ? 'json' : 'text',
    noColor: !color,
    io: pick('io', flag(p, 'no-io') ? false : undefined, file.io, true),
    ascii: pick('ascii', bool('ascii'), file.ascii, false),
    nice,
    readOnly: pick('read_only', bool('read-only'), file.read_only, false),
    notifySocket: pick('notify_socket', flag(p, 'notify-socket'), file.notify_socket, undefined),
    record: flag(p, 'record'),
    autoResumeMs: autoResume === undefined ? undefined : Math.round(autoResume * 1000),
    hosts: pick('hosts', flagList(p, 'host').length ? flagList(p, 'host').map(checkHost) : undefined, file.hosts, []),
    ssh: pick('ssh', flag(p, 'ssh'), file.ssh, 'ssh').split(/\s+/).filter(Boolean),
    remoteUmltop: pick('remote_umltop', flag(p, 'remote-umltop'), file.remote_umltop, 'umltop'),
    feed: Boolean(flag(p, 'feed')),
    thresholds,
    balance: balancePolicyFrom(file.balance ?? {}),
    balanceEveryMs: Math.round((file.balance?.every ?? 10) * 1000),
    balanceInServe: file.balance?.serve ?? 'off',
    keys: keyBindings(file),
    palette: file.theme ?? {},
    configPath: loaded.path,
    origins,
  };
}

function checkHost(h: string): string {
  if (!isSshDestination(h)) throw new UsageError(`--host wants an ssh destination such as user@host, not '${h}'`);
  return h;
}

/** A subcommand taking the global flags and exactly `count` positionals; throws UsageError with `usage`. */
export async function subcommandArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  usage: string,
  count: number,
): Promise<{ opts: GlobalOptions; positionals: string[] }> {
  const parsed = parseArgs(argv, GLOBAL_FLAGS);
  const opts = await globalOptions(parsed, env);
  if (parsed.positionals.length !== count) throw new UsageError(usage);
  return { opts, positionals: parsed.positionals };
}

/** The balancer's policy: the config file's [balance], each defaulting to DEFAULT_POLICY. */
function balancePolicyFrom(b: NonNullable<ConfigFile['balance']>): BalancePolicy {
  const d = DEFAULT_POLICY;
  const ms = (s: number | undefined, dflt: number) => (s === undefined ? dflt : Math.round(s * 1000));
  return {
    stepKiB: b.step_mib !== undefined ? b.step_mib * 1024 : d.stepKiB,
    minMoveKiB: b.min_move_mib !== undefined ? b.min_move_mib * 1024 : d.minMoveKiB,
    cooldownMs: ms(b.cooldown, d.cooldownMs),
    holdAfterGrowMs: ms(b.hold_after_grow, d.holdAfterGrowMs),
    floorPercent: b.floor_percent ?? d.floorPercent,
    minFreePercent: b.min_free_percent ?? d.minFreePercent,
    hostReserveKiB: b.host_reserve_mib !== undefined ? b.host_reserve_mib * 1024 : d.hostReserveKiB,
    movesPerMinute: b.moves_per_minute ?? d.movesPerMinute,
    exclude: b.exclude ?? d.exclude,
  };
}

/** The alert thresholds: the config file's [thresholds], each defaulting to DEFAULT_THRESHOLDS. */
function thresholdsFrom(t: NonNullable<ConfigFile['thresholds']>): AlertThresholds {
  return {
    hostCpuPercent: t.host_cpu_percent ?? DEFAULT_THRESHOLDS.hostCpuPercent,
    hostCpuForMs: t.host_cpu_seconds !== undefined ? t.host_cpu_seconds * 1000 : DEFAULT_THRESHOLDS.hostCpuForMs,
    memAvailablePercent: t.mem_available_percent ?? DEFAULT_THRESHOLDS.memAvailablePercent,
    stormPerSec: t.storm_per_sec ?? DEFAULT_THRESHOLDS.stormPerSec,
    stormFactor: t.storm_factor ?? DEFAULT_THRESHOLDS.stormFactor,
    stormFloor: t.storm_floor ?? DEFAULT_THRESHOLDS.stormFloor,
    pausedForMs: t.paused_seconds !== undefined ? t.paused_seconds * 1000 : DEFAULT_THRESHOLDS.pausedForMs,
    ioStallMs: t.io_stall_seconds !== undefined ? t.io_stall_seconds * 1000 : DEFAULT_THRESHOLDS.ioStallMs,
    diskFreePercent: t.disk_free_percent ?? DEFAULT_THRESHOLDS.diskFreePercent,
    netErrors: t.net_errors ?? DEFAULT_THRESHOLDS.netErrors,
    netErrorsForMs:
      t.net_errors_seconds !== undefined ? t.net_errors_seconds * 1000 : DEFAULT_THRESHOLDS.netErrorsForMs,
  };
}

function niceValue(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new UsageError(`--nice must be a whole number from -20 to 19, not '${v}'`);
  return n;
}
