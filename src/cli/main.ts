// Entry point: picks the subcommand. bin/umltop only calls main().
import { followFleetSize } from '../runtime/v8-heap.js';
import { runExitHooks } from '../runtime/exit-hooks.js';
import { parseArgs, UsageError } from '../config/args.js';
import { batchCommand } from './batch-command.js';
import { demoCommand } from './demo-command.js';
import { GLOBAL_FLAGS, globalOptions, subcommandArgs, type GlobalOptions } from '../config/options.js';
import { mconsoleCommand } from './mconsole-command.js';
import { memCommand } from './mem-command.js';
import { bundleCommand } from './bundle-command.js';
import { ConfigError } from '../config/load.js';

export const USAGE = `umltop — watch and steer User Mode Linux instances

usage:
  umltop mconsole [--uml-dir DIR]... [--timeout S] UMID|SOCKET COMMAND...
  umltop [--uml-dir DIR]... [--all-users] [--interval S] [--timeout S]
         --once [--json|--csv]           one report from two samples an interval apart
         --batch [-n N] [--json|--csv]   one report per interval (N times)
  umltop mem [--uml-dir DIR]... [--yes] [--read-only] UMID +N|-N   hot-unplug / replug guest memory (N: 64M, 1G)
  umltop bundle [--uml-dir DIR]... UMID     collect a crash bundle (guest dumps, host threads, history)
  umltop console [--uml-dir DIR]... [--switch] UMID [LINE]   attach to a console line (ctrl-] detaches)
  umltop disk [--uml-dir DIR]... UMID list | add ubdN FILE [--ro] | remove ubdN   the guest's disks
  umltop tasks [--uml-dir DIR]... [--json] UMID   the guest's tasks (sysrq t), blocked (D) first
  umltop replay FILE [--json|--csv|--batch]  replay a recording made with --record FILE
  umltop balance [--uml-dir DIR]... [--once] [--apply] [--json]   memory to the guests that need it (dry run unless --apply)
  umltop serve --metrics ADDR:PORT [--uml-dir DIR]...   Prometheus exporter (GET /metrics)
  umltop demo          boot a demo fleet of real UML instances and show umltop on it
  umltop --print-config [--config FILE]   the effective settings (flags > file > defaults)
  umltop --help | --version

config: $XDG_CONFIG_HOME/umltop/config.toml (~/.config/umltop/config.toml), or --config FILE;
        --no-config ignores it. See man umltop(1) for every key.
`;

export async function main(argv: string[]): Promise<number> {
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  // The subcommand is the first word that is not a global flag (or its value), so global flags
  // may come before it: `umltop --read-only mem vm1 -16M`.
  const at = subcommandIndex(argv);
  const sub = at === -1 ? argv[0] : argv[at];
  const rest = at === -1 ? argv.slice(1) : [...argv.slice(0, at), ...argv.slice(at + 1)];
  try {
    switch (sub) {
      case 'mem':
        return await memCommand(rest, io);
      case 'console': {
        const { consoleCommand } = await import('./console-command.js');
        return await consoleCommand(rest, { ...io, stdin: process.stdin });
      }
      case 'disk': {
        const { diskCommand } = await import('./disk-command.js');
        return await diskCommand(rest, io);
      }
      case 'tasks': {
        const { tasksCommand } = await import('./tasks-command.js');
        return await tasksCommand(rest, io);
      }
      case 'bundle':
        return await bundleCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'mconsole':
        return await mconsoleCommand(rest, io);
      case 'balance': {
        const { balanceCommand } = await import('./balance-command.js');
        return await balanceCommand(rest, io);
      }
      case 'serve': {
        const { serveCommand } = await import('./serve-command.js');
        return await serveCommand(rest, io, await version());
      }
      case 'demo': {
        const opts = await globalOptions(parseArgs(rest, GLOBAL_FLAGS), io.env);
        return await demoCommand(opts, io, (o, helpNotes) => runInteractive(o, { helpNotes }));
      }
      case '--version':
      case '-V':
        io.stdout.write(`umltop ${await version()}\n`);
        return 0;
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n${optionsHelp()}`);
        return 0;
      default:
        return await watchCommand(argv, io);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`umltop: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    runExitHooks();
  }
}

/** The options section of --help, from the flag table. */
export function optionsHelp(): string {
  const rows = GLOBAL_FLAGS.map((f) => [
    `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.arg ? ` ${f.arg}` : ''}`,
    f.help,
  ]);
  const w = Math.max(...rows.map((r) => r[0]!.length));
  return `options:\n${rows.map(([a, b]) => `  ${a!.padEnd(w)}  ${b}`).join('\n')}\n\nkeys: press ? in the view; every key is also in man umltop(1).\n`;
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { packageRoot } = await import('../runtime/package-root.js');
  const pkg = JSON.parse(await readFile(`${packageRoot()}/package.json`, 'utf8')) as { version: string };
  return pkg.version;
}

async function watchCommand(
  argv: string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  let opts;
  try {
    const parsed = parseArgs(argv, GLOBAL_FLAGS);
    if (parsed.positionals.length > 0) throw new UsageError(`unknown command '${parsed.positionals[0]}'`);
    opts = await globalOptions(parsed, io.env);
    if (parsed.flags.has('print-config')) {
      const { printConfig } = await import('../config/print.js');
      io.stdout.write(printConfig(opts));
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts.once || opts.batch || opts.feed || !io.stdout.isTTY)
    return batchCommand(opts.once || opts.batch ? opts : { ...opts, batch: true }, io);
  return runInteractive(opts);
}

export async function runInteractive(opts: GlobalOptions, extra: { helpNotes?: string[] } = {}): Promise<number> {
  const { storeAndPoller } = await import('./collection.js');
  const { systemClock } = await import('../runtime/clock.js');
  const { runTui } = await import('../ui/run-tui.js');
  const { choosePriority } = await import('../runtime/priority.js');
  const priorityNote = choosePriority(opts.nice);
  const { store, poller } = storeAndPoller(opts, systemClock);
  const { keyTable } = await import('../config/load.js');
  const { listenForNotifications } = await import('./notify-wiring.js');
  const { bundleOnIncidents } = await import('../actions/incident-bundles.js');
  followFleetSize(store);
  const stopBundles = bundleOnIncidents(store);
  const { startRemotes } = await import('../remote/remotes.js');
  const remotes = startRemotes(opts, store);
  const { startRecording } = await import('../recording/recorder.js');
  const recorder = opts.record ? startRecording(store, opts.record, systemClock, { mode: 'tui' }) : undefined;
  let notify;
  try {
    notify = await listenForNotifications(opts.notifySocket, store, poller);
  } catch (e) {
    process.stderr.write(`umltop: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    return await runTui({
      store,
      poller,
      noColor: opts.noColor,
      ascii: opts.ascii,
      palette: opts.palette,
      readOnly: opts.readOnly,
      keys: keyTable({ keys: opts.keys }),
      autoResumeMs: opts.autoResumeMs,
      helpNotes: [
        `watching ${opts.umlDirs.join(', ')}${opts.processTable ? ' and the uml dir of each UML kernel in the process table' : ''}`,
        notify.note,
        priorityNote,
        ...(extra.helpNotes ?? []),
      ],
    });
  } finally {
    notify.listener?.close();
    remotes?.stop();
    stopBundles();
    recorder?.close();
  }
}

const SUBCOMMANDS = new Set([
  'mconsole',
  'mem',
  'demo',
  'bundle',
  'replay',
  'serve',
  'console',
  'disk',
  'tasks',
  'balance',
]);

function subcommandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (SUBCOMMANDS.has(a)) return i;
    if (a === '--') return -1;
    if (a.startsWith('--')) {
      const spec = GLOBAL_FLAGS.find((f) => f.name === a.slice(2).split('=')[0]);
      if (spec?.takesValue && !a.includes('=')) i++;
      continue;
    }
    if (/^-[A-Za-z]$/.test(a)) {
      if (GLOBAL_FLAGS.find((f) => f.short === a[1])?.takesValue) i++;
      continue;
    }
    return -1; // a positional that is not a subcommand
  }
  return -1;
}

async function replayCommand(
  argv: string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const { checkReplayable, readRecording, RecordingError } = await import('../recording/recorder.js');
  const { replayBatch } = await import('../recording/replay-batch.js');
  let opts, file: string;
  try {
    let positionals: string[];
    ({ opts, positionals } = await subcommandArgs(argv, io.env, 'usage: umltop replay FILE [--json|--csv|--batch]', 1));
    file = positionals[0]!;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop replay: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let lines;
  try {
    lines = readRecording(file);
    checkReplayable(file, lines);
  } catch (e) {
    if (e instanceof RecordingError) {
      io.stderr.write(`umltop replay: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (opts.batch || opts.format !== 'text' || !io.stdout.isTTY) return replayBatch(lines, opts.format, io);
  const { runReplayTui } = await import('../ui/replay-tui.js');
  const { keyTable } = await import('../config/load.js');
  return runReplayTui(lines, opts, keyTable({ keys: opts.keys }));
}
