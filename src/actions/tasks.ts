// The guest's task list from `sysrq t`, uninterruptible tasks first, with how many tasks the guest
// itself counts, so a dump that lost lines says so. The dump is read from the instance's console
// log file when it has one (written by the kernel, nothing lost), else from the reply packets
// (read by a separate process, dump.ts; lossy on long dumps).
import { byConcern, type GuestTask, parseTaskDump, taskCount } from '../collectors/proc/task-dump.js';
import { consoleLogFile, fileSize, readFrom } from '../console/log-file.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { sanitizeLine } from '../text/sanitize.js';
import { type CommandResult, dumpInChildProcess } from './dump.js';

export interface TaskList {
  tasks: GuestTask[];
  /** Whether every task the guest counts was read. */
  complete: boolean;
  /** How many tasks the guest counts (loadavg), when it says. */
  guestCounts?: number;
  /** Where the dump was read: the console log file, or mconsole's reply. */
  source: 'console log' | 'mconsole reply';
  note?: string;
}

export async function guestTasks(target: { socket: string; pid: number }, client: MconsoleClient): Promise<TaskList> {
  const counted = async () => {
    try {
      return taskCount((await client.request('proc loadavg')).text);
    } catch {
      return undefined; // counted tasks are a check, not the list
    }
  };
  const log = consoleLogFile(target.pid);
  const before = await counted();
  const dump = await dumpWithLog(target, 'sysrq t');
  if (!dump.ok) throw new Error(dump.text || 'sysrq t failed');
  const fromReply = parseTaskDump(dump.text).tasks;
  const fromLog: GuestTask[] = dump.logText !== undefined ? parseTaskDump(dump.logText).tasks : [];
  const after = await counted();
  const guestCounts = before !== undefined && after !== undefined ? Math.min(before, after) : (after ?? before);
  const useLog = fromLog.length >= fromReply.length && fromLog.length > 0;
  const tasks = useLog ? fromLog : fromReply;
  const short = guestCounts !== undefined && tasks.length < guestCounts;
  const complete = (useLog || dump.complete) && !short;
  const note = complete
    ? undefined
    : `incomplete: ${tasks.length} task(s) read${guestCounts !== undefined ? ` of the ${guestCounts} the guest counts` : ''}${useLog || dump.complete ? '' : ' (the reply lost its final packet)'}; the guest drops lines of long replies a reader does not take fast enough${log ? '' : ' (with its console on a file, umltop reads the dump there, whole)'}`;
  return {
    tasks: byConcern(tasks),
    complete,
    ...(guestCounts !== undefined ? { guestCounts } : {}),
    source: useLog ? 'console log' : 'mconsole reply',
    ...(note ? { note } : {}),
  };
}

/**
 * A sysrq dump (hundreds of one-line packets) as mconsole's reply, and, when the instance's console
 * goes to a file, as the kernel wrote it there: whole, where the reply loses lines.
 */
export async function dumpWithLog(
  target: { socket: string; pid: number },
  command: string,
): Promise<CommandResult & { logText?: string }> {
  const log = consoleLogFile(target.pid);
  const from = log && fileSize(target.pid, log);
  // with a log to read, the reply is a fallback only: waiting less for its lost final packet
  const dump = await dumpInChildProcess(target.socket, command, log ? 2 : 5);
  if (!log || from === undefined) return dump;
  await settled(() => fileSize(target.pid, log));
  return { ...dump, logText: readFrom(target.pid, log, from) };
}

/** Resolves once `size` has not changed for 300 ms (at most 3 s): the dump is written. */
async function settled(size: () => number | undefined): Promise<void> {
  const end = Date.now() + 3000;
  let last = size();
  let stableSince = Date.now();
  while (Date.now() < end && Date.now() - stableSince < 300) {
    await new Promise((r) => setTimeout(r, 50));
    const now = size();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}

/** A table a person reads: D tasks marked `!`. */
export function formatTasks(list: TaskList): string {
  const rows = list.tasks.map(
    (t) =>
      `${t.state === 'D' ? '!' : ' '} ${String(t.pid).padStart(6)} ${String(t.ppid).padStart(6)} ${t.state}  ${sanitizeLine(t.name).padEnd(16)} ${t.waitsIn ?? ''}`,
  );
  const head = `  ${'PID'.padStart(6)} ${'PPID'.padStart(6)} S  ${'NAME'.padEnd(16)} WAITS IN`;
  const blocked = list.tasks.filter((t) => t.state === 'D').length;
  const summary = `${list.tasks.length} task(s)${list.guestCounts !== undefined ? ` (the guest counts ${list.guestCounts})` : ''}, ${blocked} uninterruptible (D), read from the ${list.source}${list.note ? `; ${list.note}` : ''}`;
  return [summary, head, ...rows].join('\n');
}
