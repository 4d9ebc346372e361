// `umltop disk [--uml-dir DIR]... UMID list | add ubdN FILE [--ro] | remove ubdN`: the guest's
// disks while it runs, checked before the guest is asked and verified in its diskstats after.
import { DiskRefused, listDisks, planAdd, planRemove, runDiskPlan } from '../actions/disks.js';
import { isMcError } from '../mconsole/errors.js';
import { Journal } from '../state/journal.js';
import { sanitizeLine } from '../text/sanitize.js';
import { flag, parseArgs, UsageError } from '../config/args.js';
import { openTarget } from './instance-target.js';
import { GLOBAL_FLAGS, globalOptions } from '../config/options.js';

export const DISK_USAGE = 'usage: umltop disk [--uml-dir DIR]... UMID list | add ubdN FILE [--ro] | remove ubdN';

export async function diskCommand(
  argv: string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const say = (text: string) => io.stderr.write(`umltop disk: ${text}\n`);
  let opts, words: string[], ro: boolean;
  try {
    const parsed = parseArgs(argv, [...GLOBAL_FLAGS, { name: 'ro' }]);
    if (flag(parsed, 'help')) {
      io.stdout.write(`${DISK_USAGE}\n`);
      return 0;
    }
    opts = await globalOptions(parsed, io.env);
    words = parsed.positionals;
    ro = Boolean(flag(parsed, 'ro'));
    const [, verb] = words;
    const arity = verb === 'list' ? 2 : verb === 'add' ? 4 : verb === 'remove' ? 3 : -1;
    if (words.length !== arity) throw new UsageError(DISK_USAGE);
  } catch (e) {
    if (e instanceof UsageError) {
      say(e.message);
      return 2;
    }
    throw e;
  }
  const [umid, verb, slot, file] = words as [string, string, string | undefined, string | undefined];
  if (verb !== 'list' && opts.readOnly) {
    say(`refused: '${verb}' writes to the instance, and umltop is in read-only mode`);
    return 2;
  }
  const opened = openTarget(umid, opts, 'disk');
  if ('error' in opened) {
    say(opened.error);
    return 2;
  }
  const { target, client } = opened;
  try {
    if (verb === 'list') {
      const disks = await listDisks(client);
      if (!disks.length) io.stdout.write(`${umid}: no disks\n`);
      for (const d of disks) {
        const files = d.file
          ? `${sanitizeLine(d.file)}${d.backing ? ` (COW over ${sanitizeLine(d.backing)})` : ''}`
          : '(no file)';
        io.stdout.write(
          `${d.device.padEnd(5)} ubd${String(d.index).padEnd(3)} ${files}${d.inGuest ? '' : '  [not attached: not in the guest diskstats]'}\n`,
        );
      }
      return 0;
    }
    const plan =
      verb === 'add'
        ? await planAdd(target, slot!, file!, { readOnly: ro, client })
        : await planRemove(target, slot!, client);
    const r = await runDiskPlan(plan, { client, journal: new Journal(io.env) });
    (r.ok ? io.stdout : io.stderr).write(`${r.ok ? `${umid}: ` : 'umltop disk: '}${r.message}\n`);
    return r.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof DiskRefused) {
      say(`refused: ${e.message} (nothing was written to the guest)`);
      return 1;
    }
    if (isMcError(e)) {
      say(e.message);
      return 2;
    }
    throw e;
  } finally {
    client.close();
  }
}
