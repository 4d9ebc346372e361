// The shutdown ladder for a wedged guest, one rung at a time, each checked rather than assumed:
// cad (did it reboot or exit?), halt, SIGTERM (did the process exit?), SIGKILL of the session.
import { readFile } from 'node:fs/promises';
import { sessionMembers } from '../collectors/discovery.js';
import type { Journal } from '../state/journal.js';
import type { InstanceRecord } from '../state/records.js';
import type { LadderStep } from './commands.js';
import type { CommandResult } from './dump.js';

export interface LadderDeps {
  journal: Journal;
  /** An mconsole command through the journaled path. */
  runCommand(command: string): Promise<CommandResult>;
  /** The guest's uptime (s), or undefined when it does not answer. */
  uptime(): Promise<number | undefined>;
}

export async function ladderStep(
  r: InstanceRecord,
  step: LadderStep,
  deps: LadderDeps,
): Promise<{ ended: boolean; message: string }> {
  const pid = r.pid;
  const base = { umid: r.umid, umlDir: r.umlDir, pid, command: step };
  const gone = async () => {
    if (!pid) return true;
    try {
      process.kill(pid, 0);
      return await isZombie(pid);
    } catch {
      return true;
    }
  };
  const waitGone = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await gone()) return true;
      await sleep(100);
    }
    return gone();
  };
  switch (step) {
    case 'cad': {
      const before = await deps.uptime();
      const res = await deps.runCommand('cad');
      // A rebooted guest starts its uptime again; a halted one goes away.
      let rebooted = false;
      const deadline = Date.now() + 10_000;
      while (!rebooted && !(await gone()) && Date.now() < deadline) {
        await sleep(250);
        const now = await deps.uptime();
        rebooted = before !== undefined && now !== undefined && now < before;
      }
      const exited = await gone();
      const message = exited
        ? 'cad: the instance exited'
        : rebooted
          ? 'cad: the guest rebooted (its uptime started again)'
          : `cad: no reboot or exit within 10 s (${res.ok ? 'request accepted' : res.text})`;
      // a reboot clears the wedge: the ladder stops here
      return { ended: exited || rebooted, message };
    }
    case 'halt': {
      const res = await deps.runCommand('halt');
      const ended = await waitGone(5000);
      const message = ended
        ? 'halt: the instance exited'
        : `halt: the process is still there after 5 s (${res.ok ? 'request accepted' : res.text || 'no reply'})`;
      return { ended, message };
    }
    case 'SIGTERM': {
      if (pid) signal(pid, 'SIGTERM');
      const ended = await waitGone(5000);
      deps.journal.append({ ...base, outcome: ended ? 'ok' : 'failed' });
      return { ended, message: ended ? 'SIGTERM: the instance exited' : `SIGTERM: pid ${pid} still alive after 5 s` };
    }
    case 'SIGKILL': {
      const members = pid ? [pid, ...sessionMembers(pid)] : [];
      for (const m of members) signal(m, 'SIGKILL');
      if (pid) signal(-pid, 'SIGKILL');
      const ended = await waitGone(3000);
      const left = pid ? sessionMembers(pid) : [];
      deps.journal.append({ ...base, outcome: ended ? 'ok' : 'failed', note: `killed ${members.join(' ')}` });
      const message = ended
        ? `SIGKILL: ${members.length} process(es) killed${left.length ? `; ${left.length} still there` : ''}; the umid dir stays (dead)`
        : `SIGKILL: pid ${pid} still there`;
      return { ended, message };
    }
  }
}

/** A signal to a process or (negative pid) a group that may be gone already. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function isZombie(pid: number): Promise<boolean> {
  try {
    return /^\S+ \(.*\) [ZX]/.test(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
