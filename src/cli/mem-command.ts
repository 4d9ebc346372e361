// `umltop mem [--uml-dir DIR]... [--yes] [--read-only] [--timeout S] UMID +N|-N`
// The same code path as the TUI's `m` dialog.
import { createInterface } from 'node:readline/promises';
import { fmtMiB, HotplugRefused, parseAmount, planHotplug, runHotplug } from '../actions/hotplug.js';
import { MconsoleClient } from '../mconsole/client.js';
import { isMcError } from '../mconsole/errors.js';
import { Journal } from '../state/journal.js';
import { Ledger } from '../state/ledger.js';
import { flag, parseArgs, UsageError } from '../config/args.js';
import { findTarget } from './instance-target.js';
import { GLOBAL_FLAGS, globalOptions } from '../config/options.js';

export const MEM_USAGE =
  'usage: umltop mem [--uml-dir DIR]... [--yes] [--read-only] [--step SIZE] [--timeout S] UMID +N|-N   (N like 64M, 1G, 512K; large operations go in steps of SIZE, default 64M)';

export interface MemIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export async function memCommand(argv: string[], io: MemIo): Promise<number> {
  let opts, umid: string, amount: number, yes: boolean, stepKiB: number | undefined;
  try {
    const parsed = parseArgs(argv, [...GLOBAL_FLAGS, { name: 'yes', short: 'y' }, { name: 'step', takesValue: true }]);
    if (flag(parsed, 'help')) {
      io.stdout.write(`${MEM_USAGE}\n`);
      return 0;
    }
    opts = await globalOptions(parsed, io.env);
    if (parsed.positionals.length !== 2) throw new UsageError(MEM_USAGE);
    umid = parsed.positionals[0]!;
    amount = parseAmount(parsed.positionals[1]!);
    yes = Boolean(flag(parsed, 'yes'));
    const stepText = flag(parsed, 'step');
    stepKiB = stepText === undefined ? undefined : Math.abs(parseAmount(`-${stepText.replace(/^[+-]/, '')}`));
  } catch (e) {
    if (e instanceof UsageError || e instanceof HotplugRefused) {
      io.stderr.write(`umltop mem: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const found = findTarget(umid, opts);
  if ('error' in found) {
    io.stderr.write(`umltop mem: ${found.error}\n`);
    return 2;
  }
  const client = new MconsoleClient(found.socket, { timeoutMs: Math.max(opts.timeoutMs, 2000), label: 'mem' });
  const deps = { client, ledger: new Ledger(io.env), journal: new Journal(io.env), readOnly: opts.readOnly };
  const target = { umid, umlDir: found.umlDir, pid: found.pid };
  try {
    const plan = await planHotplug(target, amount, deps);
    if (plan.warning) {
      io.stderr.write(`umltop mem: warning: ${plan.warning}\n`);
      if (!yes) {
        if (!io.stdin?.isTTY) {
          io.stderr.write('umltop mem: not done; pass --yes to do it anyway\n');
          return 1;
        }
        const rl = createInterface({ input: io.stdin, output: io.stderr });
        const answer = await rl.question(`Type the umid (${umid}) to go ahead: `);
        rl.close();
        if (answer.trim() !== umid) {
          io.stderr.write('umltop mem: not done\n');
          return 1;
        }
      }
    }
    const result = await runHotplug(plan, deps, {
      stepKiB,
      onProgress: (done, total) => {
        if (total > 64 * 1024) io.stderr.write(`umltop mem: ${fmtMiB(done, false)} of ${fmtMiB(total, false)}\n`);
      },
    });
    io.stdout.write(`${umid}: ${result.message}\n`);
    return result.partial ? 1 : 0;
  } catch (e) {
    if (e instanceof HotplugRefused) {
      io.stderr.write(`umltop mem: ${e.message}\n`);
      return 1;
    }
    if (isMcError(e)) {
      io.stderr.write(`umltop mem: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    client.close();
  }
}
