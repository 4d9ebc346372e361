// Entry point: picks the subcommand. bin/umltop only calls main().
import { runExitHooks } from '../runtime/exit-hooks.js';
import { demoCommand } from './demo-command.js';
import { mconsoleCommand } from './mconsole-command.js';

export const USAGE = `umltop — watch and steer User Mode Linux instances

usage:
  umltop mconsole [--uml-dir DIR]... [--timeout S] UMID|SOCKET COMMAND...
  umltop demo          boot a demo fleet of real UML instances and show umltop on it
  umltop --help | --version
`;

export async function main(argv: string[]): Promise<number> {
  const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'mconsole': return await mconsoleCommand(rest, io);
      case 'demo': return await demoCommand(rest, io);
      case '--version': case '-V': io.stdout.write(`umltop ${await version()}\n`); return 0;
      case undefined: case '--help': case '-h': io.stdout.write(USAGE); return 0;
      default: io.stderr.write(`umltop: unknown command '${sub}'\n${USAGE}`); return 2;
    }
  } finally {
    runExitHooks();
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
