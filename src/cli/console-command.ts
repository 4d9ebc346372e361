// `umltop console [--uml-dir DIR]... [--switch] UMID [LINE]`: the terminal handed to the guest's
// console line (the first on a pts, or LINE), raw, until ctrl-]. With no line on a pts: which
// lines there are and what each is connected to, and an offer to switch one to pts.
import { createInterface } from 'node:readline/promises';
import { attach } from '../console/attach.js';
import {
  type ConsoleLine,
  consoleLines,
  describeLines,
  explainSwitchError,
  pickLine,
  switchCandidate,
} from '../console/lines.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { isMcError } from '../mconsole/errors.js';
import { Journal } from '../state/journal.js';
import { flag, parseArgs, UsageError } from '../config/args.js';
import { openTarget, type Target } from './instance-target.js';
import { GLOBAL_FLAGS, globalOptions } from '../config/options.js';

export const CONSOLE_USAGE =
  'usage: umltop console [--uml-dir DIR]... [--switch] UMID [LINE]   (LINE: con1, ssl0, ...; ctrl-] detaches)';

export interface ConsoleIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
}

export async function consoleCommand(argv: string[], io: ConsoleIo): Promise<number> {
  let opts, umid: string, wanted: string | undefined, switchOk: boolean;
  try {
    const parsed = parseArgs(argv, [...GLOBAL_FLAGS, { name: 'switch' }]);
    if (flag(parsed, 'help')) {
      io.stdout.write(`${CONSOLE_USAGE}\n`);
      return 0;
    }
    opts = await globalOptions(parsed, io.env);
    if (parsed.positionals.length < 1 || parsed.positionals.length > 2) throw new UsageError(CONSOLE_USAGE);
    [umid, wanted] = parsed.positionals as [string, string | undefined];
    if (wanted && !/^(con|ssl)\d{1,2}$/.test(wanted))
      throw new UsageError(`'${wanted}' is not a console line (con0, con1, ssl0, ...)`);
    switchOk = Boolean(flag(parsed, 'switch'));
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop console: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const say = (text: string) => io.stderr.write(`umltop console: ${text}\n`);
  if (opts.readOnly) {
    say('refused: a console is a way to write to the guest, and umltop is in read-only mode');
    return 2;
  }
  const opened = openTarget(umid, opts, 'console');
  if ('error' in opened) {
    say(opened.error);
    return 2;
  }
  const { target, client } = opened;
  const journal = new Journal(io.env);
  try {
    const lines = await consoleLines(client, wanted);
    let line = pickLine(lines, wanted);
    if (!line?.pts) {
      const switched = await offerSwitch(lines, wanted, target, client, journal, io, switchOk);
      if (!switched) return 1;
      line = switched;
    }
    journal.append({
      umid,
      umlDir: target.umlDir,
      pid: target.pid,
      command: `console attach ${line.line} (${line.pts})`,
      outcome: 'ok',
    });
    const result = await attach({
      pts: line.pts!,
      input: io.stdin,
      output: io.stdout,
      onOpen: () => say(`attached to ${umid} ${line.line} (${line.pts}); ctrl-] detaches`),
    });
    io.stderr.write('\r\n');
    say(result.how === 'detached' ? 'detached' : `the console went away: ${result.why}`);
    return result.how === 'detached' ? 0 : 1;
  } catch (e) {
    if (isMcError(e) || e instanceof Error) {
      say(e.message);
      return 2;
    }
    throw e;
  } finally {
    client.close();
  }
}

/** No line on a pts the guest opened: say what there is, and switch one to pts when asked to. */
async function offerSwitch(
  lines: ConsoleLine[],
  wanted: string | undefined,
  target: Target,
  client: MconsoleClient,
  journal: Journal,
  io: ConsoleIo,
  switchOk: boolean,
): Promise<ConsoleLine | undefined> {
  const say = (text: string) => io.stderr.write(`umltop console: ${text}\n`);
  const named = wanted ? lines.find((l) => l.line === wanted) : undefined;
  if (wanted && !named) {
    say(`${target.umid} has no line ${wanted}; its lines:\n${describeLines(lines)}`);
    return undefined;
  }
  say(
    `${named ? `${wanted} is not` : 'no line of'} ${target.umid} ${named ? 'on a pts the guest opened' : 'is on a pts the guest opened'}; its lines:\n${describeLines(lines)}`,
  );
  const candidate = switchCandidate(lines, wanted);
  if (!candidate) return undefined;
  if (candidate.channel === 'pts') {
    say(`${candidate.line} is on pts already: the guest has not opened it yet (a getty or a shell on its tty does)`);
    return undefined;
  }
  if (!switchOk) {
    if (!io.stdin.isTTY) {
      say(`switch ${candidate.line} to a pts with: umltop console --switch ${target.umid} ${candidate.line}`);
      return undefined;
    }
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await rl.question(`Switch ${candidate.line} (now ${candidate.channel}) to a pts? [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return undefined;
  }
  const command = `config ${candidate.line}=pts`;
  const reply = await client.request(command, { allowErr: true });
  const base = { umid: target.umid, umlDir: target.umlDir, pid: target.pid, command };
  journal.append({ ...base, outcome: reply.ok ? 'ok' : 'err', reply: reply.text });
  if (!reply.ok) {
    say(explainSwitchError(candidate.line, reply.text));
    return undefined;
  }
  const now = (await consoleLines(client, candidate.line)).find((l) => l.line === candidate.line);
  if (!now?.pts) {
    say(
      `${candidate.line} is on a pts now; the guest has not opened it yet (a getty or a shell on its tty does), attach once it has`,
    );
    return undefined;
  }
  return now;
}
