// `umltop mconsole [--uml-dir DIR]... [--timeout S] UMID|SOCKET COMMAND...`
// A uml_mconsole that cannot hang: OK/ERR output as uml_mconsole prints it; exit 0 OK, 1 ERR,
// 2 timeout, incomplete reply or unreachable instance (with a one-line reason on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { findInstancesOnce } from '../collectors/instance-finder.js';
import { MconsoleClient } from '../mconsole/client.js';
import { isMcError, McErrReplyError, McIncompleteReplyError, McTimeoutError } from '../mconsole/errors.js';
import { defaultUmlDir, ResolveError, resolveSocket } from '../mconsole/resolve.js';
import { sanitize } from '../text/sanitize.js';
import { flag, flagList, parseArgs, seconds, UsageError } from '../config/args.js';

export const MCONSOLE_USAGE = 'usage: umltop mconsole [--uml-dir DIR]... [--timeout S] UMID|SOCKET COMMAND...';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function mconsoleCommand(argv: string[], io: Io): Promise<number> {
  let socketPath: string;
  let command: string;
  let timeoutMs: number;
  try {
    const parsed = parseArgs(
      argv,
      [
        { name: 'uml-dir', takesValue: true, repeatable: true },
        { name: 'timeout', short: 't', takesValue: true },
        { name: 'help', short: 'h' },
      ],
      { stopAfterPositionals: 1 },
    );
    if (flag(parsed, 'help')) {
      io.stdout.write(`${MCONSOLE_USAGE}\n`);
      return 0;
    }
    if (parsed.positionals.length < 2) throw new UsageError(MCONSOLE_USAGE);
    timeoutMs = seconds(flag(parsed, 'timeout'), 'timeout', 2) * 1000;
    const dirs = flagList(parsed, 'uml-dir');
    const target = parsed.positionals[0]!;
    try {
      socketPath = resolveSocket(target, dirs.length ? dirs : [defaultUmlDir(io.env)]);
    } catch (e) {
      // no dir given: the instance may live wherever its kernel's command line put it
      const found = dirs.length
        ? undefined
        : findInstancesOnce([], { processTable: true }).find((i) => i.umid === target);
      if (!found) throw e;
      socketPath = found.socket;
    }
    command = parsed.positionals.slice(1).join(' ');
  } catch (e) {
    if (e instanceof UsageError || e instanceof ResolveError) {
      io.stderr.write(`umltop mconsole: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  // Verbatim into pipes (a drop-in for scripts); made safe when a terminal would interpret it.
  const show = (text: string) => (io.stdout.isTTY ? sanitize(text, { multiline: true }) : text);
  const local = localCommand(command, socketPath, io);
  if (local !== undefined) return local;
  const client = new MconsoleClient(socketPath, { timeoutMs, label: 'cli' });
  try {
    if (/^log\s+-f\s+/.test(command)) return await logFile(client, command.replace(/^log\s+-f\s+/, ''), io);
    const reply = await client.request(command, { allowErr: true });
    const extra = reply.ok && /^help\b/.test(command) ? LOCAL_HELP : '';
    io.stdout.write(`${reply.ok ? 'OK' : 'ERR'} ${show(reply.text)}${extra}\n`);
    return reply.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof McIncompleteReplyError) {
      io.stdout.write(`OK ${show(e.partialText)}\n`);
      io.stderr.write(`umltop mconsole: ${e.message}\n`);
      return 2;
    }
    if (e instanceof McErrReplyError) {
      io.stdout.write(`ERR ${show(e.text)}\n`);
      return 1;
    }
    if (e instanceof McTimeoutError) {
      io.stderr.write(`umltop mconsole: ${e.message}${deadPidNote(socketPath)}\n`);
      return 2;
    }
    if (isMcError(e)) {
      io.stderr.write(`umltop mconsole: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`umltop mconsole: ${(e as Error).message}\n`);
    return 2;
  } finally {
    client.close();
  }
}

// uml_mconsole's own commands, so scripts written for it keep working.
const LOCAL_HELP = `
Additional local mconsole commands:
    quit - Quit mconsole
    switch <socket-name> - Switch control to the given machine
    log -f <filename> - use contents of <filename> as UML log messages
    mconsole-version - version of this mconsole program
    int  - Interrupt UML session`;

function localCommand(command: string, socketPath: string, io: Io): number | undefined {
  const word = command.trim().split(/\s+/)[0];
  switch (word) {
    case 'quit':
      return 0;
    case 'mconsole-version':
      io.stdout.write('uml_mconsole client version 2 (umltop)\n');
      return 0;
    case 'switch':
      io.stderr.write(
        'umltop mconsole: switch only makes sense in an interactive session; name the instance instead\n',
      );
      return 2;
    case 'int': {
      const pidFile = path.join(path.dirname(socketPath), 'pid');
      let pid: number;
      try {
        pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      } catch (e) {
        io.stderr.write(`umltop mconsole: int: cannot read ${pidFile}: ${(e as Error).message}\n`);
        return 2;
      }
      if (!Number.isInteger(pid) || pid <= 1) {
        io.stderr.write(`umltop mconsole: int: ${pidFile} holds no pid\n`);
        return 2;
      }
      try {
        process.kill(pid, 'SIGINT');
      } catch (e) {
        io.stderr.write(`umltop mconsole: int: kill ${pid}: ${(e as Error).message}\n`);
        return 2;
      }
      return 0;
    }
    default:
      return undefined;
  }
}

/** `log -f FILE`: the file's contents into the guest kernel log, in request-sized pieces. */
async function logFile(client: MconsoleClient, file: string, io: Io): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr.write(`umltop mconsole: log -f: ${(e as Error).message}\n`);
    return 2;
  }
  const pieces: string[] = [];
  for (let rest = text; rest.length > 0; ) {
    let piece = rest.slice(0, 500);
    while (Buffer.byteLength(`log ${piece}`) >= 511) piece = piece.slice(0, -1);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  let last = { ok: true, text: '' };
  for (const piece of pieces) {
    last = await client.request(`log ${piece}`, { allowErr: true });
    if (!last.ok) break;
  }
  io.stdout.write(`${last.ok ? 'OK' : 'ERR'} ${last.text}\n`);
  return last.ok ? 0 : 1;
}

/** A socket that swallows requests although its instance's pid is gone: say so. */
function deadPidNote(socketPath: string): string {
  const pidFile = path.join(path.dirname(socketPath), 'pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return '';
  }
  if (!Number.isInteger(pid) || pid <= 0) return `; ${pidFile} holds no valid pid`;
  try {
    process.kill(pid, 0);
    return '';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') return '';
  }
  return `; the instance is dead (pid ${pid} from ${pidFile} is gone) but leftover processes still hold its socket`;
}
