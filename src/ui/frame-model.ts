// Everything one frame draws, detached from the live store so a paused display stays still
// while collection goes on.
import type { HostTotals } from '../collectors/host-totals.js';
import type { InstanceState } from '../state/liveness.js';
import type { InstanceRecord, StoreEvent } from '../state/records.js';
import type { Store } from '../state/store.js';
import { dressRows, sortedRows, tableStart, type Row } from './view-model.js';
import { type BalanceDecision, headroom, type HostHeadroom } from '../state/advice.js';
import { fleetAdvice } from '../state/snapshot.js';
import type { ViewState } from './view-state.js';

export interface FrameModel {
  rows: Row[];
  selectedKey?: string;
  selected?: InstanceRecord;
  events: StoreEvent[];
  host?: HostTotals;
  counts: Partial<Record<InstanceState, number>>;
  orphans: number;
  /** Instances found from the process table, in uml dirs umltop was not told to watch. */
  fromProcessTable: number;
  intervalMs: number;
  wallNow: number;
  /** Other hosts (`--host`) and their connection state. */
  remotes: Array<{ name: string; state: string }>;
  /** Instances this umltop paused: umid and seconds. */
  pausedByUmltop: Array<{ umid: string; seconds: number }>;
  /** The memory advice for every instance (key → decision), as `umltop balance` would see it now. */
  advice: Map<string, BalanceDecision>;
  /** The host's memory for the guests: available, the reserve, what they could still grow by. */
  headroom: HostHeadroom;
}

/**
 * `detach`: copy the selected instance's history, for a frame that must not move (paused display).
 * `window`: the most rows the table can show; only those around the selection get their age,
 * staleness and alert marker (all rows without it).
 */
export function buildFrame(
  store: Store,
  view: Pick<ViewState, 'filter' | 'sort' | 'reverse' | 'selectedKey'>,
  opts: { detach?: boolean; window?: number } = {},
): FrameModel {
  const sorted = sortedRows(store, view);
  const at = sorted.findIndex((r) => r.key === view.selectedKey);
  const selectedKey = at >= 0 ? view.selectedKey : sorted[0]?.key;
  const n = opts.window ?? sorted.length;
  const from = tableStart(sorted.length, Math.max(0, at), n);
  const rows = dressRows(store, sorted, from, from + n);
  const live = selectedKey ? store.records.get(selectedKey) : undefined;
  const records = [...store.records.values()];
  const counts: Partial<Record<InstanceState, number>> = {};
  let fromProcessTable = 0;
  for (const r of records) {
    counts[r.state] = (counts[r.state] ?? 0) + 1;
    if (r.found) fromProcessTable++;
  }
  return {
    rows,
    selectedKey,
    events: store.recentEvents(50),
    host: store.hostTotals,
    counts,
    orphans: store.orphans.length,
    fromProcessTable,
    intervalMs: store.intervalMs,
    wallNow: store.clock.wallNow(),
    remotes: [...store.remotes.values()].map((r) => ({ name: r.name, state: r.state })),
    pausedByUmltop: [...store.pausedByUmltop].map(([key, since]) => ({
      umid: store.records.get(key)?.umid ?? key,
      seconds: Math.round((store.clock.wallNow() - since) / 1000),
    })),
    selected: live && opts.detach ? detach(live) : live,
    advice: adviceFor(store, records),
    headroom: headroom(store.hostTotals, records, store.balancePolicy),
  };
}

/** The fleet's advice, made at most once an interval: it moves with samples, and a key's frame reuses it. */
const adviceMade = new WeakMap<Store, { at: number; records: number; advice: Map<string, BalanceDecision> }>();

function adviceFor(store: Store, records: InstanceRecord[]): Map<string, BalanceDecision> {
  const now = store.clock.now();
  const made = adviceMade.get(store);
  if (made && made.records === store.records.size && now >= made.at && now - made.at < store.intervalMs)
    return made.advice;
  const advice = fleetAdvice(store, records, now);
  adviceMade.set(store, { at: now, records: store.records.size, advice });
  return advice;
}

function detach(r: InstanceRecord): InstanceRecord {
  const h = r.history;
  return {
    ...r,
    guest: r.guest ? { ...r.guest } : undefined,
    host: r.host ? { ...r.host } : undefined,
    history: {
      hostCpu: h.hostCpu.clone(),
      guestCpu: h.guestCpu.clone(),
      memAvailableKiB: h.memAvailableKiB.clone(),
      irqPerSec: h.irqPerSec.clone(),
      softirqPerSec: h.softirqPerSec.clone(),
      diskBytesPerSec: h.diskBytesPerSec.clone(),
      netBytesPerSec: h.netBytesPerSec.clone(),
      lines: new Map([...h.lines].map(([k, v]) => [k, v.clone()])),
    },
  };
}
