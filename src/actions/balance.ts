// The memory balancer's rounds: the policy (state/advice.ts) over the store, and with `apply`, each
// grow or shrink made through the hotplug path (its checks, the ledger written ahead, the journal
// with the reason, the verification by MemFree). A move the hotplug check warns about is not made:
// the balancer never overrides a safety margin a person would have to confirm.
import type { Poller } from '../collectors/poller.js';
import type { Journal } from '../state/journal.js';
import type { Ledger } from '../state/ledger.js';
import { type BalanceDecision, decide, type MoveHistory, newMoveHistory, recordMove } from '../state/advice.js';
import type { Store } from '../state/store.js';
import { fmtMiB, HotplugRefused, planHotplug, runHotplug } from './hotplug.js';

export interface BalanceOutcome {
  decision: BalanceDecision;
  /** With apply, for a grow or shrink: what the hotplug did, or why it did not. */
  done?: { ok: boolean; message: string; recordedKiB?: number };
}

export interface BalancerDeps {
  store: Store;
  poller: Pick<Poller, 'clientFor'>;
  ledger: Ledger;
  journal: Journal;
  apply: boolean;
  readOnly?: boolean;
}

export class Balancer {
  readonly moves: MoveHistory = newMoveHistory();
  constructor(private readonly d: BalancerDeps) {}

  /** One round: every live instance's decision, and with apply, the moves made one after another. */
  async round(): Promise<BalanceOutcome[]> {
    const { store } = this.d;
    const now = store.clock.now();
    const decisions = decide([...store.records.values()], store.hostTotals, store.balancePolicy, this.moves, now, (r) =>
      store.isStale(r, now),
    );
    const out: BalanceOutcome[] = [];
    for (const decision of decisions) {
      if (decision.action === 'hold' || !this.d.apply) out.push({ decision });
      else out.push({ decision, done: await this.move(decision) });
    }
    return out;
  }

  private async move(d: BalanceDecision): Promise<NonNullable<BalanceOutcome['done']>> {
    const rec = this.d.store.records.get(d.key);
    const client = this.d.poller.clientFor(d.key);
    if (!rec?.pid || !client) return { ok: false, message: 'the instance went away before the move' };
    const deps = {
      client,
      ledger: this.d.ledger,
      journal: this.d.journal,
      readOnly: this.d.readOnly,
      note: `balance ${d.action}: ${d.reason}`,
    };
    try {
      const plan = await planHotplug({ umid: rec.umid, umlDir: rec.umlDir, pid: rec.pid }, d.kib, deps);
      if (plan.warning) return { ok: false, message: `not made: ${plan.warning}` };
      const r = await runHotplug(plan, deps, { stepKiB: this.d.store.balancePolicy.stepKiB });
      // a move that did nothing still starts the cooldown: asking again at once would do nothing again
      recordMove(this.moves, d.key, d.action as 'grow' | 'shrink', this.d.store.clock.now());
      return { ok: !r.partial, message: r.message, recordedKiB: r.recordedKiB };
    } catch (e) {
      if (e instanceof HotplugRefused) return { ok: false, message: e.message };
      return { ok: false, message: `failed: ${(e as Error).message}` };
    }
  }
}

/** One outcome as a line of text: umid, action, amount, reason, and what the move did. */
export function outcomeLine(o: BalanceOutcome, umidWidth = 16): string {
  const d = o.decision;
  const amount = d.kib ? fmtMiB(d.kib) : '';
  const done = o.done ? `  → ${o.done.ok ? '' : 'NOT DONE: '}${o.done.message}` : '';
  return `${d.umid.padEnd(umidWidth)} ${d.action.padEnd(6)} ${amount.padStart(9)}  ${d.reason}${done}`;
}

/** One outcome as a JSON object: umid, action, kib, reason, the signals, and the move's result. */
export function outcomeJson(o: BalanceOutcome, time: string, dryRun: boolean): Record<string, unknown> {
  const d = o.decision;
  return {
    time,
    umid: d.umid,
    action: d.action,
    kib: d.kib,
    reason: d.reason,
    signals: d.signals,
    dryRun,
    ...(o.done ? { done: o.done } : {}),
  };
}
