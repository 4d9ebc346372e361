// `umltop demo`: boot a demo fleet of real UML instances in a private uml dir, open umltop on it,
// and tear the fleet down when umltop is left (also on ctrl-c, SIGTERM, SIGHUP).
import { Fleet, type InstanceSpec } from '../demo/fleet.js';
import { batchCommand } from './batch-command.js';
import type { GlobalOptions } from '../config/options.js';

export const DEMO_FLEET: InstanceSpec[] = [
  { umid: 'demo-idle', workloads: ['idle'] },
  { umid: 'demo-cpu', workloads: ['cpu'] },
  { umid: 'demo-mem', workloads: ['memhog'], arg: 48, memMiB: 128 },
  { umid: 'demo-chatty', workloads: ['chatty'] },
  // disk reads, pings over its own tap (made only as root) and a shell on con1 (c attaches)
  {
    umid: 'demo-io',
    workloads: ['diskread', 'net', 'shell'],
    disks: [32],
    tap: process.getuid?.() === 0,
    args: ['con1=pts'],
    arg: 3600,
  },
];

export interface DemoIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export async function demoCommand(
  opts: GlobalOptions,
  io: DemoIo,
  run: (o: GlobalOptions, notes: string[]) => Promise<number>,
): Promise<number> {
  io.stderr.write(
    `umltop demo: booting ${DEMO_FLEET.length} real UML instances (${DEMO_FLEET.map((s) => s.umid).join(', ')})...\n`,
  );
  const fleet = await Fleet.boot(DEMO_FLEET);
  io.stderr.write(`umltop demo: fleet up in ${fleet.umlDir}\n`);
  const watch = { ...opts, umlDirs: [fleet.umlDir], processTable: false };
  try {
    if (!io.stdout.isTTY) return await batchCommand({ ...watch, batch: true, iterations: opts.iterations ?? 3 }, io);
    return await run(watch, [`demo fleet in ${fleet.umlDir}: leaving umltop halts it`]);
  } finally {
    io.stderr.write('umltop demo: halting the demo fleet\n');
    await fleet.teardown();
  }
}
