// The TUI's Controller: what its actions do to instances, every write journaled. The components
// (src/ui) only dispatch intents; this module holds the sockets, signals and timers, and does its
// I/O without blocking the event loop that draws the screen.
import type { Poller } from '../collectors/poller.js';
import { parseUptime } from '../collectors/proc/uptime.js';
import { isMcError, McIncompleteReplyError } from '../mconsole/errors.js';
import type { Journal } from '../state/journal.js';
import type { Ledger } from '../state/ledger.js';
import type { EventInput } from '../state/records.js';
import type { Store } from '../state/store.js';
import { commandRisk, type LadderStep, parseSysrqHelp } from './commands.js';
import type { Controller, PlanResult, ReplayControls } from './controller.js';
import { type CommandResult, dumpInChildProcess } from './dump.js';
import { fmtMiB, type HotplugPlan, HotplugRefused, parseAmount, planHotplug, runHotplug } from './hotplug.js';
import { bundleAndSay } from './incident-bundles.js';
import { type Handover, GuestAccess } from './guest-access.js';
import { ladderStep } from './ladder.js';

export interface InstanceActionsOptions {
  store: Store;
  /** Absent when replaying a recording: nothing to talk to. */
  poller: Poller | undefined;
  ledger: Ledger;
  journal: Journal;
  /** Resume instances this umltop paused after this long (ms); off when undefined. */
  autoResumeMs?: number;
  quit(): void;
  redraw(): void;
  replay?: ReplayControls;
  /** Hands the terminal to a guest console and back (the TUI's); no console without it. */
  handover?: Handover;
}

const INTERVAL_STEPS = [250, 500, 1000, 2000, 3000, 5000, 10000];

/** The next sampling interval a step slower (+1) or faster (-1) than `current` (ms). */
export function nextInterval(current: number, direction: 1 | -1): number {
  if (direction > 0) return INTERVAL_STEPS.find((s) => s > current) ?? INTERVAL_STEPS.at(-1)!;
  return [...INTERVAL_STEPS].reverse().find((s) => s < current) ?? INTERVAL_STEPS[0]!;
}

export class InstanceActions implements Controller {
  private plans = new Map<string, HotplugPlan>();
  private autoResume: NodeJS.Timeout | undefined;
  readonly replay: ReplayControls | undefined;
  readonly guest: GuestAccess | undefined;

  constructor(private readonly o: InstanceActionsOptions) {
    this.replay = o.replay;
    this.guest = o.replay ? undefined : new GuestAccess(o);
    if (o.autoResumeMs) {
      this.autoResume = setInterval(() => this.checkAutoResume(o.autoResumeMs!), 1000);
      this.autoResume.unref();
    }
  }

  close(): void {
    clearInterval(this.autoResume);
    this.guest?.close();
  }

  stepInterval(direction: 1 | -1): number {
    if (!this.o.poller) return this.o.store.intervalMs;
    const ms = nextInterval(this.o.poller.intervalMs, direction);
    this.o.poller.setIntervalMs(ms);
    this.o.store.apply({ op: 'interval', ms });
    return ms;
  }

  quit(): void {
    this.o.quit();
  }

  redraw(): void {
    this.o.redraw();
  }

  bundle(key: string): Promise<string | undefined> {
    return bundleAndSay(this.o.store, key, 'asked for with B');
  }

  async memPlan(key: string, text: string): Promise<PlanResult> {
    try {
      const r = this.target(key);
      if (!r.pid) throw new HotplugRefused('that instance has no pid');
      const amount = parseAmount(text);
      const plan = await planHotplug({ umid: r.umid, umlDir: r.umlDir, pid: r.pid }, amount, this.deps(key));
      this.plans.set(key, plan);
      const avail = plan.meminfo.MemAvailable ?? plan.meminfo.MemFree ?? 0;
      const [verb, dir] = amount < 0 ? ['Take', 'from'] : ['Give back', 'to'];
      return {
        ok: true,
        warning: plan.warning,
        message: `${verb} ${fmtMiB(Math.abs(amount), false)} ${dir} ${r.umid}: guest MemAvailable ${fmtMiB(avail, false)} → about ${fmtMiB(Math.max(0, avail + amount), false)}`,
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
      const umid = plan.target.umid;
      this.event({
        type: 'action',
        key,
        umid,
        severity: r.partial ? 'warn' : 'info',
        message: `${umid}: memory ${r.message}`,
      });
      void this.o.poller?.sample(key);
      return { ok: !r.partial, message: r.message };
    } catch (e) {
      return { ok: false, message: `failed: ${(e as Error).message}` };
    }
  }

  /** A raw mconsole command; writes are journaled. */
  async runCommand(key: string, command: string): Promise<CommandResult> {
    const r = this.o.store.records.get(key);
    const risk = commandRisk(command);
    const base = { umid: r?.umid ?? '?', umlDir: r?.umlDir ?? '?', pid: r?.pid, command };
    if (risk !== 'read') {
      try {
        this.o.journal.intent(base);
      } catch (e) {
        const text = `refused, nothing was sent to the guest: ${(e as Error).message}`;
        this.event({
          type: 'action',
          key,
          umid: r?.umid,
          severity: 'warn',
          message: `${r?.umid ?? key}: ${command}: ${text}`,
        });
        return { ok: false, text, complete: true };
      }
    }
    let result: CommandResult;
    try {
      if (/^(sysrq|stack)\b/.test(command) && r) {
        result = await dumpInChildProcess(r.socket, command);
      } else {
        const timeoutMs = /^proc\b/.test(command) ? 5000 : undefined;
        const reply = await this.client(key).request(command, { allowErr: true, timeoutMs });
        result = { ok: reply.ok, text: reply.text, complete: true };
      }
    } catch (e) {
      result =
        e instanceof McIncompleteReplyError
          ? {
              ok: true,
              text: e.partialText,
              complete: false,
              note: `incomplete: ${e.packets} packets arrived, no final one (the guest drops packets a client does not read fast enough)`,
            }
          : { ok: false, text: isMcError(e) || e instanceof HotplugRefused ? e.message : String(e), complete: true };
    }
    if (risk === 'read') return result;
    try {
      this.o.journal.append({ ...base, outcome: result.ok ? 'ok' : 'err', reply: result.text.slice(0, 2000) });
    } catch (e) {
      // done in the guest, its outcome not journaled: said where the result is shown
      result = { ...result, note: `${result.note ? `${result.note}; ` : ''}${(e as Error).message}` };
      this.event({ type: 'action', key, umid: r?.umid, severity: 'warn', message: (e as Error).message });
    }
    if (r) {
      const reply = `${result.ok ? 'OK' : 'ERR'} ${result.text.split('\n')[0]!.slice(0, 80)}`;
      this.event({
        type: 'action',
        key,
        umid: r.umid,
        severity: result.ok ? 'info' : 'warn',
        message: `${r.umid}: ${command}: ${reply}`,
      });
      if (command === 'stop' && result.ok) this.o.store.apply({ op: 'paused', key, paused: true });
      if (command === 'go' && result.ok) this.o.store.apply({ op: 'paused', key, paused: false });
    }
    void this.o.poller?.sample(key);
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
    const { ended, message } = await ladderStep(r, step, {
      journal: this.o.journal,
      runCommand: (command) => this.runCommand(key, command),
      uptime: () => this.uptime(key),
    });
    const severity = ended ? 'warn' : 'error';
    this.event({ type: 'action', key, umid: r.umid, severity, message: `${r.umid}: shutdown ladder: ${message}` });
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

  private event(e: EventInput): void {
    this.o.store.apply({ op: 'event', event: e });
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

  private async checkAutoResume(maxMs: number): Promise<void> {
    for (const [key, since] of this.o.store.pausedByUmltop) {
      if (this.o.store.clock.wallNow() - since < maxMs) continue;
      const r = await this.runCommand(key, 'go');
      const umid = this.o.store.records.get(key)?.umid;
      const message = `${umid ?? key}: auto-resumed after ${Math.round(maxMs / 1000)} s paused: ${r.ok ? 'OK' : r.text}`;
      this.event({ type: 'action', key, umid, severity: 'warn', message });
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
    return { client: this.client(key), ledger: this.o.ledger, journal: this.o.journal };
  }
}
