// Memory advice for a fleet, and the balancer's policy: which guest should get memory back, which
// can give some, how much, and why. Pure: records, host totals, limits, past moves and the time in;
// one decision per instance out. A UML guest grows only by what was unplugged from it (the ledger),
// so the pool is the host's free memory and each guest's ceiling is its boot size.
// Shaped after oVirt MoM's balloon policy and Proxmox's auto-ballooning, and against their users'
// complaints: a guest is grown only when pressed and shrunk only when ok (the band between is
// hysteresis), never below its floor or its free-memory margin, with a cooldown per guest, a
// longer hold before shrinking a guest that was grown, and a cap on moves per minute.
import type { HostTotals } from '../collectors/host-totals.js';
import { type Pressure, type PressureSignals, samePressure } from './pressure.js';
import type { InstanceRecord } from './records.js';

export interface BalancePolicy {
  /** The most one move takes or gives (KiB). */
  stepKiB: number;
  /** Moves smaller than this are not worth a round trip (KiB). */
  minMoveKiB: number;
  /** No move of a guest within this long of its last one (ms). */
  cooldownMs: number;
  /** A guest that was grown is not shrunk for this long (ms): against oscillation. */
  holdAfterGrowMs: number;
  /** A guest is never shrunk below this % of its boot size... */
  floorPercent: number;
  /** ...nor left with MemAvailable under this % of its MemTotal. */
  minFreePercent: number;
  /** The host keeps at least this much MemAvailable (KiB); undefined: 10 % of its MemTotal. */
  hostReserveKiB?: number;
  /** Moves per minute over the fleet. */
  movesPerMinute: number;
  /** umids never touched. */
  exclude: string[];
}

export const DEFAULT_POLICY: BalancePolicy = {
  stepKiB: 64 * 1024,
  minMoveKiB: 8 * 1024,
  cooldownMs: 30_000,
  holdAfterGrowMs: 300_000,
  floorPercent: 50,
  minFreePercent: 20,
  movesPerMinute: 6,
  exclude: [],
};

export type BalanceAction = 'grow' | 'shrink' | 'hold';

export interface BalanceDecision {
  key: string;
  umid: string;
  action: BalanceAction;
  /** Signed: + for grow, − for shrink, 0 for hold. */
  kib: number;
  reason: string;
  signals: PressureSignals & { pressure?: string; unpluggedKiB: number; memTotalKiB?: number };
}

/** Moves the balancer made (monotonic ms), so the cooldowns and the rate cap hold across rounds. */
export interface MoveHistory {
  last: Map<string, { action: 'grow' | 'shrink'; at: number }>;
  at: number[];
}

export const newMoveHistory = (): MoveHistory => ({ last: new Map(), at: [] });

export interface HostHeadroom {
  availableKiB?: number;
  reserveKiB?: number;
  /** Over the reserve (+) or under it (−). */
  spareKiB?: number;
  /** What the guests could still grow by: the sum of what was unplugged from them. */
  growableKiB: number;
  /**
   * What the guests hold but have not touched yet (plugged, minus the blocks of their RAM files):
   * the host's memory they will draw without any move. A grow counts it as spoken for.
   */
  untouchedKiB: number;
  /** Host PSI memory, avg10 %, when the host kernel has it. */
  psiSome?: number;
  psiFull?: number;
}

const MiB = 1024;
const fmt = (kib: number) => `${Math.round(kib / MiB)} MiB`;
const floorMiB = (kib: number) => Math.floor(kib / MiB) * MiB;

export function headroom(host: HostTotals | undefined, records: InstanceRecord[], p: BalancePolicy): HostHeadroom {
  const reserveKiB =
    p.hostReserveKiB ?? (host?.memTotalKiB !== undefined ? Math.round(host.memTotalKiB * 0.1) : undefined);
  const available = host?.memAvailableKiB;
  // loops, not reduce: per-call closures are compiled again after each full GC (CONTRIBUTING.md)
  let growableKiB = 0;
  let untouchedKiB = 0;
  for (const r of records) {
    if (isLive(r)) growableKiB += r.unpluggedKiB;
    untouchedKiB += untouched(r);
  }
  return {
    availableKiB: available,
    reserveKiB,
    spareKiB: available !== undefined && reserveKiB !== undefined ? available - reserveKiB : undefined,
    growableKiB,
    untouchedKiB,
    psiSome: host?.psiMemory?.some,
    psiFull: host?.psiMemory?.full,
  };
}

const isLive = (r: InstanceRecord) => r.state !== 'dead' && r.state !== 'invalid';

/** Plugged but not yet backed on the host (0 when either figure is unknown). */
function untouched(r: InstanceRecord): number {
  const total = r.guest?.meminfo.MemTotal;
  const physmem = r.host?.physmemKiB;
  if (!isLive(r) || total === undefined || physmem === undefined) return 0;
  return Math.max(0, total - r.unpluggedKiB - physmem);
}

/** Why a guest is left alone whatever its memory says, if it is. */
function untouchable(r: InstanceRecord, p: BalancePolicy, stale: boolean): string | undefined {
  if (p.exclude.includes(r.umid)) return 'excluded in the config';
  if (r.state !== 'running') return `${r.state}: ${r.reason}`;
  if (stale) return 'its figures are stale';
  if (!r.guest?.pressure) return 'no reclaim figures yet (two vmstat readings)';
  if (r.guest.meminfo.MemTotal === undefined) return 'no meminfo yet';
  return undefined;
}

/**
 * One round: a decision per record (hold, with its reason, where nothing is to be done). `stale`
 * says whether a record's figures are too old to act on.
 */
export function decide(
  records: InstanceRecord[],
  host: HostTotals | undefined,
  p: BalancePolicy,
  moves: MoveHistory,
  now: number,
  stale: (r: InstanceRecord) => boolean = () => false,
  memo?: HoldMemo,
): BalanceDecision[] {
  const room = headroom(host, records, p);
  const out: BalanceDecision[] = [];
  const givers: Giver[] = [];
  // grows go only into what no guest will draw anyway; a shortfall is what is short now
  const grow = { spare: room.spareKiB === undefined ? undefined : room.spareKiB - room.untouchedKiB };
  // with nothing short, a guest that is not pressed holds whatever the others do
  const settled = !(room.spareKiB !== undefined && room.spareKiB < 0);
  for (const r of records.filter(isLive)) {
    const g = r.guest;
    const isStale = stale(r);
    const k = settled ? memo?.get(r) : undefined;
    if (k && unchanged(k, r, p, isStale)) {
      out.push(k.d);
      continue;
    }
    const signals = {
      ...(g?.pressure?.signals ?? {}),
      pressure: g?.pressure?.state,
      unpluggedKiB: r.unpluggedKiB,
      memTotalKiB: g?.meminfo.MemTotal,
    };
    const d: BalanceDecision = { key: r.key, umid: r.umid, action: 'hold', kib: 0, reason: '', signals };
    out.push(d);
    const why = untouchable(r, p, isStale);
    if (why) d.reason = why;
    else if (g!.pressure!.state === 'pressed') growOrHold(d, r, p, room, grow, moves.last.get(r.key), now);
    else {
      d.reason = `${g!.pressure!.state}: ${g!.pressure!.reason}`;
      const giver = settled ? undefined : givable(d, r, p, moves.last.get(r.key), now);
      if (giver) givers.push(giver);
    }
    // kept only while it cannot hang on the others (a grow shares the host's spare) or on time
    if (memo && settled && d.action === 'hold' && g?.pressure?.state !== 'pressed' && !moves.last.has(r.key))
      memo.set(r, {
        pressure: g?.pressure,
        memTotalKiB: g?.meminfo.MemTotal,
        state: r.state,
        reason: r.reason,
        stale: isStale,
        unpluggedKiB: r.unpluggedKiB,
        policy: p,
        d,
      });
  }
  shrinkWhatIsShort(givers, room, p);
  const recent = moves.at.filter((t) => now - t < 60_000).length;
  let budget = Math.max(0, p.movesPerMinute - recent);
  for (const d of out) {
    if (d.action === 'hold') continue;
    if (budget > 0) budget--;
    else {
      d.reason = `${d.action} ${fmt(Math.abs(d.kib))} held: ${p.movesPerMinute} moves a minute reached (${d.reason})`;
      d.action = 'hold';
      d.kib = 0;
    }
  }
  return out;
}

/**
 * Decisions kept from the last round, for a caller that decides every report (the advice): a guest
 * whose figures are as they were then holds for the same reason, and a report then makes nothing
 * for it (at 300 quiet guests the decisions made anew each second were a third of what lived long
 * enough to be promoted, and the collections that followed). The figures, not the objects: a
 * quiet guest asked for its age gets a new view with the same pressure, and at 500 guests those
 * new decisions were still 8 % of what was promoted.
 */
export type HoldMemo = WeakMap<InstanceRecord, HoldKept>;

interface HoldKept {
  /** What a hold that is not pressed reads of the guest: its pressure, and MemTotal. */
  pressure: Pressure | undefined;
  memTotalKiB: number | undefined;
  state: InstanceRecord['state'];
  reason: string;
  stale: boolean;
  unpluggedKiB: number;
  policy: BalancePolicy;
  d: BalanceDecision;
}

/** Whether a kept decision still stands: the same figures, state, staleness, ledger and policy. */
function unchanged(k: HoldKept, r: InstanceRecord, p: BalancePolicy, stale: boolean): boolean {
  return (
    samePressure(k.pressure, r.guest?.pressure) &&
    k.memTotalKiB === r.guest?.meminfo.MemTotal &&
    k.state === r.state &&
    k.reason === r.reason &&
    k.stale === stale &&
    k.unpluggedKiB === r.unpluggedKiB &&
    k.policy === p
  );
}

type LastMove = MoveHistory['last'] extends Map<string, infer V> ? V : never;
interface Giver {
  d: BalanceDecision;
  canGive: number;
  excess: number;
}

/** A pressed guest: grown by what it may take back (and `grow.spare` lowered by it), or held with why. */
function growOrHold(
  d: BalanceDecision,
  r: InstanceRecord,
  p: BalancePolicy,
  room: HostHeadroom,
  grow: { spare?: number },
  last: LastMove | undefined,
  now: number,
): void {
  const pressure = r.guest!.pressure!;
  const spare = grow.spare;
  if (r.unpluggedKiB < p.minMoveKiB)
    d.reason = `pressed (${pressure.reason}), but at its boot size: UML gives back only what was unplugged`;
  else if (spare === undefined) d.reason = `pressed (${pressure.reason}); the host's free memory is unknown`;
  else if (spare < p.minMoveKiB) {
    const held = room.untouchedKiB >= MiB ? `, ${fmt(room.untouchedKiB)} the guests hold untouched` : '';
    d.reason = `pressed (${pressure.reason}), but the host is at its reserve (${fmt(room.availableKiB!)} available, reserve ${fmt(room.reserveKiB!)}${held})`;
  } else if (last && now - last.at < p.cooldownMs)
    d.reason = `pressed (${pressure.reason}); moved ${Math.round((now - last.at) / 1000)} s ago (cooldown)`;
  else {
    d.action = 'grow';
    d.kib = floorMiB(Math.min(p.stepKiB, r.unpluggedKiB, spare));
    d.reason = `pressed: ${pressure.reason}; ${fmt(r.unpluggedKiB)} unplugged from it`;
    grow.spare = spare - d.kib;
  }
}

/** An ok guest out of its cooldown and hold: what it could give above its floor and free margin. */
function givable(
  d: BalanceDecision,
  r: InstanceRecord,
  p: BalancePolicy,
  last: LastMove | undefined,
  now: number,
): Giver | undefined {
  const pressure = r.guest!.pressure!;
  if (pressure.state !== 'ok' || (last && now - last.at < p.cooldownMs)) return undefined;
  if (last?.action === 'grow' && now - last.at < p.holdAfterGrowMs) return undefined;
  const total = r.guest!.meminfo.MemTotal!;
  const excess = (pressure.signals.availableKiB ?? 0) - (total * p.minFreePercent) / 100;
  const aboveFloor = total - r.unpluggedKiB - (total * p.floorPercent) / 100;
  const canGive = floorMiB(Math.min(p.stepKiB, excess, aboveFloor));
  return canGive >= p.minMoveKiB ? { d, canGive, excess } : undefined;
}

/** Under the reserve: the guests with the most idle free memory give first, only what is short. */
function shrinkWhatIsShort(givers: Giver[], room: HostHeadroom, p: BalancePolicy): void {
  let short = room.spareKiB !== undefined && room.spareKiB < 0 ? -room.spareKiB : 0;
  for (const { d, canGive } of givers.sort((a, b) => b.excess - a.excess)) {
    if (short <= 0) break;
    const kib = Math.max(p.minMoveKiB, Math.min(canGive, Math.ceil(short / MiB) * MiB));
    d.action = 'shrink';
    d.kib = -kib;
    d.reason = `the host is under its reserve (${fmt(room.availableKiB!)} available, reserve ${fmt(room.reserveKiB!)}); ${d.reason.replace(/^ok: /, '')}, ${fmt(canGive)} above its floor and margin`;
    short -= kib;
  }
}

/** After a move was made: its cooldown and the rate cap start from now. */
export function recordMove(moves: MoveHistory, key: string, action: 'grow' | 'shrink', now: number): void {
  moves.last.set(key, { action, at: now });
  moves.at.push(now);
  moves.at = moves.at.filter((t) => now - t < 60_000);
}

/** The amount of one decision as `umltop mem` and the hotplug dialog take it: "+64M", "-32M" or "". */
export function adviceText(d: Pick<BalanceDecision, 'kib'>): string {
  if (!d.kib) return '';
  return `${d.kib > 0 ? '+' : '-'}${Math.round(Math.abs(d.kib) / MiB)}M`;
}
