// What the TUI's actions do to instances: every write goes through here, journaled. The
// components (src/ui) only dispatch intents; this module holds the sockets, signals and timers,
// and does its I/O without blocking the event loop that draws the screen.
import { readFile } from 'node:fs/promises';
import { commandRisk, parseSysrqHelp, type LadderStep } from './commands.js';
import { dumpInChildProcess } from './dump.js';
import { fmtMiB, HotplugRefused, parseAmount, planHotplug, runHotplug, type HotplugPlan } from './hotplug.js';
import { sessionMembers } from '../collectors/discovery.js';
import { parseUptime } from '../collectors/proc/uptime.js';
import { McIncompleteReplyError, isMcError } from '../mconsole/errors.js';
import type { Poller } from '../collectors/poller.js';
import type { Journal } from '../state/journal.js';
import type { Ledger } from '../state/ledger.js';
import type { Store } from '../state/store.js';
import type { Controller } from '../ui/app.js';

import type { CommandResult } from './dump.js';

export class TuiActions
  implements Pick<Controller, 'memPlan' | 'memRun' | 'runCommand' | 'ladderStep' | 'sysrqLetters'>
{
  private plans = new Map<string, HotplugPlan>();
  private autoResume: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: {
      store: Store;
      poller: Poller | undefined;
      ledger: Ledger;
      journal: Journal;
      readOnly: boolean;
      autoResumeMs?: number;
    },
  ) {
    if (o.autoResumeMs) {
      this.autoResume = setInterval(() => this.checkAutoResume(o.autoResumeMs!), 1000);
      this.autoResume.unref();
    }
  }

  close(): void {
    clearInterval(this.autoResume);
  }

  private target(key: string) {
    const r = this.o.store.records.get(key);
    if (!r) throw new HotplugRefused('that instance is gone');
    return r;
  }

  private client(key: string) {
    const c = this.o.poller?.clientFor(key);
    if (!c) throw new HotplugRefused('that instance is not being watched (dead or invalid)');
    return c;
  }

  async memPlan(
    key: string,
    text: string,
  ): Promise<{ ok: true; message: string; warning?: string } | { ok: false; error: string }> {
    try {
      const r = this.target(key);
      if (!r.pid) throw new HotplugRefused('that instance has no pid');
      const amount = parseAmount(text);
      const plan = await planHotplug({ umid: r.umid, umlDir: r.umlDir, pid: r.pid }, amount, this.deps(key));
      this.plans.set(key, plan);
      const avail = plan.meminfo.MemAvailable ?? plan.meminfo.MemFree ?? 0;
      return {
        ok: true,
        warning: plan.warning,
        message: `${amount < 0 ? 'Take' : 'Give back'} ${fmtMiB(Math.abs(amount), false)} ${amount < 0 ? 'from' : 'to'} ${r.umid}: guest MemAvailable ${fmtMiB(avail, false)} → about ${fmtMiB(Math.max(0, avail + amount), false)}`,
      };
    } catch (e) {
      return { ok: false, error: e instanceof HotplugRefused ? e.message : `could not check: ${(e as Error).message}` };
    }
  }

  async memRun(key: string, onProgress: (text: string) => void): Promise<{ ok: boolean; message: string }> {
    const plan = this.plans.get(key);
    this.plans.delete(key);
    if (!plan) return { ok: false, message: 'nothing checked to run' };
    try {
      const r = await runHotplug(plan, this.deps(key), {
        onProgress: (done, total) => onProgress(`${fmtMiB(done, false)} of ${fmtMiB(total, false)}`),
      });
      this.o.store.apply({
        op: 'event',
        event: {
          type: 'action',
          key,
          umid: plan.target.umid,
          severity: r.partial ? 'warn' : 'info',
          message: `${plan.target.umid}: memory ${r.message}`,
        },
      });
      void this.o.poller?.sample(key);
      return { ok: !r.partial, message: r.message };
    } catch (e) {
      return { ok: false, message: `failed: ${(e as Error).message}` };
    }
  }

  /** A raw mconsole command; writes are refused in read-only mode and journaled otherwise. */
  async runCommand(key: string, command: string): Promise<CommandResult> {
    const r = this.o.store.records.get(key);
    const risk = commandRisk(command);
    const base = { umid: r?.umid ?? '?', umlDir: r?.umlDir ?? '?', pid: r?.pid, command };
    if (risk !== 'read' && this.o.readOnly) {
      this.o.journal.append({ ...base, outcome: 'refused', note: 'read-only mode' });
      return { ok: false, text: 'refused: umltop is in read-only mode', complete: true };
    }
    let result: CommandResult;
    try {
      if (/^(sysrq|stack)\b/.test(command) && r) {
        result = await dumpInChildProcess(r.socket, command);
      } else {
        const reply = await this.client(key).request(command, {
          allowErr: true,
          timeoutMs: /^proc\b/.test(command) ? 5000 : undefined,
        });
        result = { ok: reply.ok, text: reply.text, complete: true };
      }
    } catch (e) {
      if (e instanceof McIncompleteReplyError) {
        result = {
          ok: true,
          text: e.partialText,
          complete: false,
          note: `incomplete: ${e.packets} packets arrived, no final one (the guest drops packets a client does not read fast enough)`,
        };
      } else {
        result = {
          ok: false,
          text: isMcError(e) || e instanceof HotplugRefused ? e.message : String(e),
          complete: true,
        };
      }
    }
    if (risk !== 'read') {
      this.o.journal.append({ ...base, outcome: result.ok ? 'ok' : 'err', reply: result.text.slice(0, 2000) });
      if (r) {
        this.o.store.apply({
          op: 'event',
          event: {
            type: 'action',
            key,
            umid: r.umid,
            severity: result.ok ? 'info' : 'warn',
            message: `${r.umid}: ${command}: ${result.ok ? 'OK' : 'ERR'} ${result.text.split('\n')[0]!.slice(0, 80)}`,
          },
        });
        if (command === 'stop' && result.ok) this.o.store.apply({ op: 'paused', key, paused: true });
        if (command === 'go' && result.ok) this.o.store.apply({ op: 'paused', key, paused: false });
      }
      void this.o.poller?.sample(key);
    }
    return result;
  }

  async sysrqLetters(key: string) {
    try {
      const letters = parseSysrqHelp((await this.client(key).request('sysrq', { timeoutMs: 1500 })).text);
      return letters.length ? letters : undefined;
    } catch {
      return undefined;
    }
  }

  /** One rung of the shutdown ladder, and whether it ended the instance (checked, not assumed). */
  async ladderStep(key: string, step: LadderStep): Promise<{ ended: boolean; message: string }> {
    const r = this.target(key);
    const pid = r.pid;
    const base = { umid: r.umid, umlDir: r.umlDir, pid, command: step };
    if (this.o.readOnly) return { ended: false, message: 'refused: read-only mode' };
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
    let message: string;
    let ended = false;
    switch (step) {
      case 'cad': {
        const before = await this.uptime(key);
        const res = await this.runCommand(key, 'cad');
        // A rebooted guest starts its uptime again; a halted one goes away.
        let rebooted = false;
        const deadline = Date.now() + 10_000;
        while (!rebooted && !(await gone()) && Date.now() < deadline) {
          await sleep(250);
          const now = await this.uptime(key);
          rebooted = before !== undefined && now !== undefined && now < before;
        }
        ended = await gone();
        message = ended
          ? 'cad: the instance exited'
          : rebooted
            ? 'cad: the guest rebooted (its uptime started again)'
            : `cad: no reboot or exit within 10 s (${res.ok ? 'request accepted' : res.text})`;
        if (rebooted) ended = true; // the wedge is cleared: the ladder stops here
        break;
      }
      case 'halt': {
        const res = await this.runCommand(key, 'halt');
        ended = await waitGone(5000);
        message = ended
          ? 'halt: the instance exited'
          : `halt: the process is still there after 5 s (${res.ok ? 'request accepted' : res.text || 'no reply'})`;
        break;
      }
      case 'SIGTERM': {
        if (pid) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            /* gone */
          }
        }
        ended = await waitGone(5000);
        message = ended ? 'SIGTERM: the instance exited' : `SIGTERM: pid ${pid} still alive after 5 s`;
        this.o.journal.append({ ...base, outcome: ended ? 'ok' : 'failed' });
        break;
      }
      case 'SIGKILL': {
        const members = pid ? [pid, ...sessionMembers(pid)] : [];
        for (const m of members) {
          try {
            process.kill(m, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        if (pid) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            /* no group */
          }
        }
        ended = await waitGone(3000);
        const left = pid ? sessionMembers(pid) : [];
        message = ended
          ? `SIGKILL: ${members.length} process(es) killed${left.length ? `; ${left.length} still there` : ''}; the umid dir stays (dead)`
          : `SIGKILL: pid ${pid} still there`;
        this.o.journal.append({ ...base, outcome: ended ? 'ok' : 'failed', note: `killed ${members.join(' ')}` });
        break;
      }
    }
    this.o.store.apply({
      op: 'event',
      event: {
        type: 'action',
        key,
        umid: r.umid,
        severity: ended ? 'warn' : 'error',
        message: `${r.umid}: shutdown ladder: ${message}`,
      },
    });
    this.o.poller?.discover([r.umlDir]);
    return { ended, message };
  }

  /** Instances this umltop paused and did not resume (for the exit warning). */
  leftPaused(): string[] {
    return [...this.o.store.pausedByUmltop.entries()].map(([key, since]) => {
      const r = this.o.store.records.get(key);
      const secs = Math.round((this.o.store.clock.wallNow() - since) / 1000);
      return r ? `${r.umid} (paused ${secs} s) — resume with: umltop mconsole --uml-dir ${r.umlDir} ${r.umid} go` : key;
    });
  }

  private async checkAutoResume(maxMs: number): Promise<void> {
    for (const [key, since] of this.o.store.pausedByUmltop) {
      if (this.o.store.clock.wallNow() - since < maxMs) continue;
      const r = await this.runCommand(key, 'go');
      const rec = this.o.store.records.get(key);
      this.o.store.apply({
        op: 'event',
        event: {
          type: 'action',
          key,
          umid: rec?.umid,
          severity: 'warn',
          message: `${rec?.umid ?? key}: auto-resumed after ${Math.round(maxMs / 1000)} s paused: ${r.ok ? 'OK' : r.text}`,
        },
      });
    }
  }

  private async uptime(key: string): Promise<number | undefined> {
    try {
      return parseUptime((await this.client(key).request('proc uptime', { timeoutMs: 500 })).text).value?.seconds;
    } catch {
      return undefined;
    }
  }

  private deps(key: string) {
    return { client: this.client(key), ledger: this.o.ledger, journal: this.o.journal, readOnly: this.o.readOnly };
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
