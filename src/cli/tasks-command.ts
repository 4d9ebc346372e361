// `umltop tasks [--uml-dir DIR]... [--json] UMID`: the guest's tasks from `sysrq t`, blocked first.
import { formatTasks, guestTasks } from '../actions/tasks.js';
import { sanitizeLine } from '../text/sanitize.js';
import { UsageError } from '../config/args.js';
import { openTarget } from './instance-target.js';
import { subcommandArgs } from '../config/options.js';

export async function tasksCommand(
  argv: string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const say = (text: string) => io.stderr.write(`umltop tasks: ${text}\n`);
  let opts, umid: string;
  try {
    let positionals: string[];
    ({ opts, positionals } = await subcommandArgs(
      argv,
      io.env,
      'usage: umltop tasks [--uml-dir DIR]... [--json] UMID',
      1,
    ));
    umid = positionals[0]!;
  } catch (e) {
    if (e instanceof UsageError) {
      say(e.message);
      return 2;
    }
    throw e;
  }
  const opened = openTarget(umid, opts, 'tasks');
  if ('error' in opened) {
    say(opened.error);
    return 2;
  }
  const { target, client } = opened;
  try {
    const list = await guestTasks(target, client);
    if (opts.format === 'json') io.stdout.write(`${JSON.stringify({ umid, ...list })}\n`);
    else io.stdout.write(`${sanitizeLine(umid)}: ${formatTasks(list).split('\n').map(sanitizeLine).join('\n')}\n`);
    if (!list.complete) say(list.note!);
    return list.complete ? 0 : 3;
  } catch (e) {
    say((e as Error).message);
    return 2;
  } finally {
    client.close();
  }
}
