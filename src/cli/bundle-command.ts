// `umltop bundle [--uml-dir DIR]... UMID`: collect a crash bundle now and list what it holds.
import { collectBundle } from '../actions/crash-bundle.js';
import { systemClock } from '../runtime/clock.js';
import { UsageError } from '../config/args.js';
import { subcommandArgs } from '../config/options.js';
import { storeAndPoller } from './collection.js';

export async function bundleCommand(
  argv: string[],
  io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  let opts, umid: string;
  try {
    let positionals: string[];
    ({ opts, positionals } = await subcommandArgs(argv, io.env, 'usage: umltop bundle [--uml-dir DIR]... UMID', 1));
    umid = positionals[0]!;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop bundle: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { store, poller } = storeAndPoller(opts, systemClock, { watch: false, ledger: false });
  await poller.tick();
  poller.stop();
  const rec = [...store.records.values()].find((r) => r.umid === umid);
  if (!rec) {
    io.stderr.write(`umltop bundle: no instance '${umid}' in ${opts.umlDirs.join(', ')}\n`);
    return 2;
  }
  const b = await collectBundle({
    rec,
    events: store.recentEvents(500),
    reason: 'asked for with umltop bundle',
    env: io.env,
  });
  io.stdout.write(`${b.dir}\n`);
  for (const f of b.files)
    io.stdout.write(`  ${f.ok ? 'ok  ' : 'none'}  ${f.name.padEnd(20)} ${f.what}${f.note ? ` — ${f.note}` : ''}\n`);
  return 0;
}
