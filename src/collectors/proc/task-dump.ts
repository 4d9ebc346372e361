// The guest's tasks from a `sysrq t` dump (sched_show_task): one `task:NAME state:S stack:N
// pid:N tgid:N ppid:N ...` line per task, then its call trace. The dump is read from the console
// capture and can lose lines (see README, the command line): what is read is what is returned.
export interface GuestTask {
  pid: number;
  tgid?: number;
  ppid: number;
  name: string;
  /** R running, S sleeping, D uninterruptible, T stopped, t traced, Z zombie, I idle, X dead. */
  state: string;
  /** Bytes of its kernel stack never used. */
  stackFree?: number;
  /** The first frame of its call trace that is not the scheduler's: where it waits. */
  waitsIn?: string;
}

// a running task's line has `running task` between its state and its stack
// (`task:%-15.15s state:%c`: the name is padded with spaces, so only spaces end it; a tab is a name's)
const FIELDS =
  ' +state:(\\S)\\s+(?:running task\\s+)?stack:\\s*(\\d+)\\s+pid:\\s*(\\d+)\\s+(?:tgid:\\s*(\\d+)\\s+)?ppid:\\s*(\\d+)';
const TASK = new RegExp(`task:(.{1,15}?)${FIELDS}`, 's'); // s: a name may hold \r, U+2028 and U+2029 too
// A name is the guest user's to choose (a file name, /proc/PID/comm) and may hold a newline: the
// kernel prints it as is, so the line ends after `task:` and the rest comes on the next one.
const NAME_CUT = /task:(.{0,15})$/s;
const NAME_REST = new RegExp(`^(.{0,15}?)${FIELDS}`, 's');
// a call-trace frame; those marked `?` are stale words on the stack, not calls, and are skipped
const FRAME = /(?:^|\])\s+([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+/;
const SCHEDULER =
  /^(__schedule|schedule(_\w+)?|do_nanosleep|io_schedule|__switch_to|switch_to|_switch_to|arch_switch_to|show_stack|sched_show_task|dump_stack.*|__traceiter.*)$/;

/**
 * Every task line becomes a task, whatever its name holds: names are returned as the guest wrote
 * them (control characters and all) and made visible where they are shown (text/sanitize.ts).
 * `ignored` counts lines that began a task but never gave its fields.
 */
export function parseTaskDump(text: string): { tasks: GuestTask[]; ignored: number } {
  const tasks: GuestTask[] = [];
  let ignored = 0;
  let current: GuestTask | undefined;
  let cut: string | undefined; // the first part of a name that held a newline
  for (const line of text.split('\n')) {
    let m = TASK.exec(line);
    let name = m?.[1]?.replace(/ +$/, '');
    if (!m && cut !== undefined) {
      m = NAME_REST.exec(line);
      if (m) name = `${cut}\n${m[1]!.replace(/ +$/, '')}`;
      else ignored++;
    }
    cut = m ? undefined : NAME_CUT.exec(line)?.[1];
    if (m) {
      current = {
        pid: Number(m[4]),
        ...(m[5] !== undefined ? { tgid: Number(m[5]) } : {}),
        ppid: Number(m[6]),
        name: name!,
        state: m[2]!,
        stackFree: Number(m[3]),
      };
      tasks.push(current);
      continue;
    }
    if (!current || current.waitsIn) continue;
    const f = FRAME.exec(line);
    if (f && !SCHEDULER.test(f[1]!)) current.waitsIn = f[1];
  }
  return { tasks, ignored };
}

/** Uninterruptible (D) first, then the guest's programs, then kernel threads (kthreadd's), each by pid. */
export function byConcern(tasks: GuestTask[]): GuestTask[] {
  const kernel = (t: GuestTask) => Number(t.pid === 2 || t.ppid === 2);
  return [...tasks].sort(
    (a, b) => Number(b.state === 'D') - Number(a.state === 'D') || kernel(a) - kernel(b) || a.pid - b.pid,
  );
}

/** loadavg's 4th field `running/total`: how many tasks the guest counts. */
export function taskCount(loadavg: string): number | undefined {
  const m = /\s\d+\/(\d+)\s/.exec(` ${loadavg} `);
  return m ? Number(m[1]) : undefined;
}
