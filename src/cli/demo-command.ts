// `umltop demo`: boot a small fleet of real UML instances in a private uml dir, show umltop on it,
// and tear the fleet down on the way out (also on ctrl-c).
import { Fleet, type InstanceSpec } from '../demo/fleet.js';
import { mconsoleCommand, type Io } from './mconsole-command.js';

export const DEMO_FLEET: InstanceSpec[] = [
  { umid: 'demo-idle', workloads: ['idle'] },
  { umid: 'demo-cpu', workloads: ['cpu'] },
  { umid: 'demo-mem', workloads: ['memhog'], arg: 40, memMiB: 96 },
  { umid: 'demo-chatty', workloads: ['chatty', 'notify'], arg: 3 },
];

export async function demoCommand(_argv: string[], io: Io): Promise<number> {
  io.stderr.write(`umltop demo: booting ${DEMO_FLEET.length} real UML instances (${DEMO_FLEET.map((s) => s.umid).join(', ')})...\n`);
  const fleet = await Fleet.boot(DEMO_FLEET);
  try {
    io.stderr.write(`umltop demo: fleet up in ${fleet.umlDir}\n\n`);
    for (const [umid, command] of [['demo-idle', 'version'], ['demo-mem', 'proc meminfo'], ['demo-cpu', 'proc loadavg'], ['demo-chatty', 'go']] as const) {
      io.stdout.write(`$ umltop mconsole --uml-dir ${fleet.umlDir} ${umid} ${command}\n`);
      const code = await mconsoleCommand(['--uml-dir', fleet.umlDir, umid, ...command.split(' ')], io);
      io.stdout.write(`(exit ${code})\n\n`);
    }
    return 0;
  } finally {
    io.stderr.write('umltop demo: tearing the fleet down\n');
    await fleet.teardown();
  }
}
