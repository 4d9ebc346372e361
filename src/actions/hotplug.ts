// Memory hotplug through mconsole `config mem=±N`, made safe and verifiable. Facts that shape it
// (verified on the real kernel): -N takes pages from the guest and gives them back to the host;
// +N only returns pages unplugged earlier; both answer OK even when they did less or nothing;
// MemTotal never changes, MemFree does. So umltop keeps a ledger, refuses +N beyond it, warns
// before an unplug would starve the guest, and records what each operation really did.
import { type Meminfo, parseMeminfo, unnamedKiB } from '../collectors/proc/meminfo.js';
import { parsePidStat } from '../collectors/proc/pid-stat.js';
import { parsePidStatus } from '../collectors/proc/pid-status.js';
import { parseStat } from '../collectors/proc/stat.js';
import { readProc, type ProcReader } from '../collectors/proc-files.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { Journal } from '../state/journal.js';
import type { BootIdentity, Ledger, LedgerEntry } from '../state/ledger.js';

export interface HotplugTarget {
  umid: string;
  umlDir: string;
  pid: number;
}

export interface HotplugDeps {
  client: MconsoleClient;
  ledger: Ledger;
  journal: Journal;
  readOnly?: boolean;
  read?: ProcReader;
  /** Said in every journal record of the operation (the balancer's reason). */
  note?: string;
}

export class HotplugRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HotplugRefused';
  }
}

/** "-64M", "+128M", "-1G", "+512K", "-1048576" (bytes) → signed KiB, like the kernel's memparse. */
export function parseAmount(text: string): number {
  const m = /^([+-])(\d+(?:\.\d+)?)([KMGkmg]?)(i?[Bb])?$/.exec(text.trim());
  if (!m)
    throw new HotplugRefused(`'${text}' is not an amount: write it like -64M, +128M, -1G (a sign, a number, K/M/G)`);
  const unit = { '': 1 / 1024, k: 1, m: 1024, g: 1024 * 1024 }[m[3]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const kib = Math.round(Number(m[2]) * unit);
  if (kib < 4) throw new HotplugRefused(`'${text}' is less than one 4 KiB page: the kernel would do nothing`);
  return m[1] === '-' ? -kib : kib;
}

export function fmtMiB(kib: number, signed = true): string {
  const sign = signed ? (kib < 0 ? '−' : kib > 0 ? '+' : '') : '';
  if (Math.abs(kib) < 1024 && kib !== 0) return `${sign}${Math.abs(Math.round(kib))} KiB`;
  const v = kib / 1024;
  const s = Math.abs(v) >= 100 ? Math.abs(v).toFixed(0) : Math.abs(v).toFixed(1).replace(/\.0$/, '');
  return `${signed ? (v < 0 ? '−' : v > 0 ? '+' : '') : ''}${s} MiB`;
}

export interface HotplugPlan {
  target: HotplugTarget;
  askedKiB: number;
  identity: BootIdentity;
  entry: LedgerEntry;
  meminfo: Meminfo;
  /** Set when the operation needs a confirmation (e.g. it would leave the guest short). */
  warning?: string;
}

/** Check an operation without changing anything; throws HotplugRefused when it must not run. */
export async function planHotplug(target: HotplugTarget, askedKiB: number, deps: HotplugDeps): Promise<HotplugPlan> {
  const command = `config mem=${askedKiB < 0 ? '-' : '+'}${Math.abs(askedKiB)}K`;
  if (deps.readOnly) {
    deps.journal.append({
      umid: target.umid,
      umlDir: target.umlDir,
      pid: target.pid,
      command,
      outcome: 'refused',
      note: 'read-only mode',
    });
    throw new HotplugRefused('read-only: umltop was started with --read-only, so it writes nothing to any instance');
  }
  const read = deps.read ?? readProc;
  const stat = parsePidStat(read(`/proc/${target.pid}/stat`) ?? '');
  if (!stat) throw new HotplugRefused(`${target.umid}: its process (pid ${target.pid}) is gone`);
  const [statText, memText] = [
    (await deps.client.request('proc stat')).text,
    (await deps.client.request('proc meminfo')).text,
  ];
  const btime = parseStat(statText).value.btime;
  const meminfo = parseMeminfo(memText).value;
  if (btime === undefined || meminfo.MemFree === undefined || meminfo.MemTotal === undefined) {
    throw new HotplugRefused(`${target.umid}: could not read the guest's boot time and memory figures`);
  }
  if (unnamedKiB(meminfo) === undefined)
    throw new HotplugRefused(`${target.umid}: its meminfo lacks the lines each step is verified by (LRU lists, slab)`);
  const identity: BootIdentity = { pid: target.pid, starttime: stat.starttime, btime };
  const entry = deps.ledger.read(target.umlDir, target.umid, identity, meminfo);
  if (askedKiB > 0 && askedKiB > entry.unpluggedKiB) {
    const why =
      `refused: ${fmtMiB(askedKiB)} asked, but umltop's ledger has only ${fmtMiB(entry.unpluggedKiB, false)} unplugged from this boot of ${target.umid}; ` +
      `the kernel can only return pages it took (and would answer OK anyway)`;
    deps.journal.append({
      umid: target.umid,
      umlDir: target.umlDir,
      pid: target.pid,
      command,
      outcome: 'refused',
      note: why,
    });
    throw new HotplugRefused(why);
  }
  let warning: string | undefined;
  if (askedKiB < 0) {
    const avail = meminfo.MemAvailable ?? meminfo.MemFree;
    const margin = Math.max(32 * 1024, Math.round(meminfo.MemTotal * 0.1));
    if (avail + askedKiB < margin) {
      warning =
        `${target.umid} has ${fmtMiB(avail, false)} available; taking ${fmtMiB(-askedKiB, false)} leaves ${fmtMiB(Math.max(0, avail + askedKiB), false)}, ` +
        `under the ${fmtMiB(margin, false)} safety margin — the guest may start killing processes (OOM)`;
    }
  }
  return { target, askedKiB, identity, entry, meminfo, warning };
}

export interface HotplugResult {
  askedKiB: number;
  recordedKiB: number;
  /** What the guest gave (−) or got back (+), by its unnamed memory (see unnamedKiB). */
  guestDeltaKiB: number;
  guestMemFreeDeltaKiB: number;
  hostShmemDeltaKiB?: number;
  partial: boolean;
  steps: number;
  message: string;
  entry: LedgerEntry;
}

/** The guest's figures a step is verified by: unnamed memory decides, MemFree is kept for reference. */
interface GuestMemory {
  unnamed: number;
  free: number;
}

/**
 * Run a planned operation, in steps of at most `stepKiB` (progress after each), verifying each
 * step by the guest's unnamed memory (pages on no meminfo list: where unplugged pages go; MemFree
 * moves with reclaim by more than a step) and the host's RssShmem. Stops early when a step does
 * less than half of what it asked (the kernel gives up silently), and records what really happened.
 */
export async function runHotplug(
  plan: HotplugPlan,
  deps: HotplugDeps,
  opts: { stepKiB?: number; onProgress?: (doneKiB: number, totalKiB: number) => void } = {},
): Promise<HotplugResult> {
  const { target } = plan;
  const read = deps.read ?? readProc;
  const sign = Math.sign(plan.askedKiB);
  const total = Math.abs(plan.askedKiB);
  const shmem = () => parsePidStatus(read(`/proc/${target.pid}/status`) ?? '').rssShmemKiB;
  const measure = async (): Promise<GuestMemory> => {
    const m = parseMeminfo((await deps.client.request('proc meminfo')).text).value;
    return { unnamed: unnamedKiB(m) ?? NaN, free: m.MemFree ?? NaN };
  };
  const entry: LedgerEntry = { ...plan.entry, history: [...plan.entry.history] };
  writeAhead(plan, deps, entry, `config mem=${sign < 0 ? '-' : '+'}${total}K`);
  const first = await measure();
  const shmem0 = shmem();
  const run = await hotplugSteps(
    deps,
    entry,
    { sign, total, stepKiB: opts.stepKiB ?? 64 * 1024, first, measure },
    opts.onProgress,
  );
  const guestDelta = first.unnamed - run.after.unnamed;
  const freeDelta = run.after.free - first.free;
  const shmem1 = shmem();
  const hostDelta = shmem0 !== undefined && shmem1 !== undefined ? shmem1 - shmem0 : undefined;
  const recordedKiB = sign * run.recorded;
  const message =
    `asked ${fmtMiB(plan.askedKiB)}, guest ${fmtMiB(guestDelta)}, host ${hostDelta === undefined ? '?' : fmtMiB(hostDelta)}` +
    (run.partial
      ? ` — partial: the kernel did ${fmtMiB(recordedKiB)}${run.lastReply ? ` (${run.lastReply})` : ''}; recorded as such`
      : '') +
    `; ledger ${fmtMiB(entry.unpluggedKiB, false)} unplugged`;
  const verification = {
    askedKiB: plan.askedKiB,
    recordedKiB,
    guestDeltaKiB: guestDelta,
    guestMemFreeDeltaKiB: freeDelta,
    hostShmemDeltaKiB: hostDelta,
  };
  entry.history.push({
    time: new Date().toISOString(),
    ...verification,
    reply: run.lastReply,
    ...(run.partial ? { note: 'partial' } : {}),
  });
  if (entry.history.length > 200) entry.history.splice(0, entry.history.length - 200);
  deps.ledger.write(entry);
  deps.journal.append({
    umid: target.umid,
    umlDir: target.umlDir,
    pid: target.pid,
    command: `config mem=${plan.askedKiB < 0 ? '-' : '+'}${total}K${run.steps > 1 ? ` (in ${run.steps} steps)` : ''}`,
    outcome: run.partial ? 'partial' : 'ok',
    reply: run.lastReply,
    ...(deps.note ? { note: deps.note } : {}),
    verification: { ...verification, ledgerUnpluggedKiB: entry.unpluggedKiB },
  });
  return { ...verification, partial: run.partial, steps: run.steps, message, entry };
}

/** Written ahead, both: a state dir that takes no write (full, read-only) refuses the operation here. */
function writeAhead(plan: HotplugPlan, deps: HotplugDeps, entry: LedgerEntry, command: string): void {
  const { target } = plan;
  try {
    deps.journal.intent({
      umid: target.umid,
      umlDir: target.umlDir,
      pid: target.pid,
      command,
      ...(deps.note ? { note: deps.note } : {}),
    });
    deps.ledger.write(entry); // persists a pending step the plan settled (if any) before anything new
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HotplugRefused(
      `refused: ${code ? `the ledger in ${deps.ledger.dir} could not be written (${code})` : (e as Error).message}; nothing was sent to the guest`,
    );
  }
}

/**
 * What a step did, from the guest's unnamed memory before and after it: all of it within a
 * per-cpu list's worth of pages (which a page freed back to the guest may sit on), else what moved.
 */
export function stepDid(signedStepKiB: number, unnamedBefore: number, unnamedAfter: number): number {
  const step = Math.abs(signedStepKiB);
  const moved = (unnamedAfter - unnamedBefore) * -Math.sign(signedStepKiB);
  if (!(moved >= 0)) return 0; // also NaN: a measure that failed proves nothing
  return moved >= step - Math.min(PCP_SLACK_KIB, step * 0.1) ? step : Math.min(step, moved);
}
/** Pages on the per-cpu free lists count as unnamed; measured: up to ~0.2 MiB after a plug-back. */
const PCP_SLACK_KIB = 512;

/** The steps, each written ahead in the ledger and verified by the guest; stops at a step that did too little. */
async function hotplugSteps(
  deps: HotplugDeps,
  entry: LedgerEntry,
  o: { sign: number; total: number; stepKiB: number; first: GuestMemory; measure: () => Promise<GuestMemory> },
  onProgress?: (doneKiB: number, totalKiB: number) => void,
): Promise<{ recorded: number; steps: number; partial: boolean; lastReply: string; after: GuestMemory }> {
  let done = 0;
  let recorded = 0;
  let steps = 0;
  let lastReply = '';
  let before = o.first;
  while (done < o.total) {
    const step = Math.min(o.stepKiB, o.total - done);
    const command = `config mem=${o.sign < 0 ? '-' : '+'}${step}K`;
    // Write ahead: if umltop dies between the request and the verification, the next one knows.
    entry.pending = {
      time: new Date().toISOString(),
      signedKiB: o.sign * step,
      command,
      unnamedBeforeKiB: before.unnamed,
    };
    deps.ledger.write(entry);
    const reply = await deps.client.request(command, { allowErr: true });
    lastReply = reply.text;
    steps++;
    const after = await o.measure();
    const did = reply.ok ? stepDid(o.sign * step, before.unnamed, after.unnamed) : 0;
    recorded += did;
    done += step;
    entry.unpluggedKiB = Math.max(0, entry.unpluggedKiB - o.sign * did);
    delete entry.pending;
    deps.ledger.write(entry); // after every step: a crash between steps leaves the ledger right
    onProgress?.(done, o.total);
    before = after;
    if (!reply.ok || did < step * 0.5) return { recorded, steps, partial: true, lastReply, after };
  }
  return { recorded, steps, partial: false, lastReply, after: before };
}
