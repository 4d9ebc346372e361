// The guest's view from two samples' counters: CPU split, per-second rates of its IRQs, softirqs
// and vmstat, with umltop's own mconsole requests told apart. Pure.
import type { GuestCounters } from '../collectors/guest-sample.js';
import { cpuSplit, perSecond, round, type CpuSplit } from './rates.js';
import type { GuestView, InterruptRate, SoftirqRate } from './records.js';
import { availableOf, pressureOf, reclaimCounts } from './pressure.js';

export function guestView(g: GuestCounters, p: GuestCounters | undefined, before?: GuestView): GuestView {
  const stat = g.stat?.value;
  const pstat = p?.stat?.value;
  const statDt = g.stat && p?.stat ? g.stat.at - p.stat.at : 0;
  const split = stat?.cpu && pstat?.cpu ? cpuSplit(stat.cpu, pstat.cpu) : undefined;
  const la = g.loadavg?.value;
  const vmstat = vmstatView(g, p, before);
  const errors = { ...g.errors };
  for (const [file, n] of Object.entries(g.ignoredLines)) errors[file] ??= `${n} unreadable line(s) ignored`;
  return {
    cpuPercent: round(split?.busyPercent),
    cpu: split ? roundSplit(split.split) : undefined,
    ctxtPerSec: round(perSecond(stat?.ctxt, pstat?.ctxt, statDt)),
    forksPerSec: round(perSecond(stat?.processes, pstat?.processes, statDt)),
    procsRunning: stat?.procsRunning,
    procsBlocked: stat?.procsBlocked,
    meminfo: g.meminfo?.value ?? {},
    loadavg: la ? [la.load1, la.load5, la.load15] : undefined,
    uptimeSeconds: g.uptime?.value.seconds,
    ...interruptRates(g, p),
    ...softirqRates(g, p, before),
    disks: [],
    vmstat,
    pressure: pressureOf({
      stallsPerSec: vmstat.stallsPerSec,
      directScanPerSec: vmstat.directScanPerSec,
      refaultsPerSec: vmstat.refaultsPerSec,
      majorFaultsPerSec: vmstat.majorFaultsPerSec,
      swapInsPerSec: vmstat.swapInsPerSec,
      oomKills: vmstat.oomKillsNew,
      ...availableOf(g.meminfo?.value ?? {}),
    }),
    version: g.version?.text,
    errors,
  };
}

/** IRQ rates, with umltop's own mconsole requests told apart (and left out of the total). */
function interruptRates(g: GuestCounters, p: GuestCounters | undefined): Pick<GuestView, 'interrupts' | 'irqPerSec'> {
  const irqDt = g.interrupts && p?.interrupts ? g.interrupts.at - p.interrupts.at : 0;
  // The most of umltop's requests that can have been counted between the two readings.
  const selfDelta =
    g.interrupts && p?.interrupts
      ? g.interrupts.selfRequests - (p.interrupts.selfRequestsCounted ?? p.interrupts.selfRequests)
      : undefined;
  const prevIrq = new Map<string, number>();
  for (const i of p?.interrupts?.value ?? []) prevIrq.set(i.irq, i.count);
  let irqSum = 0;
  let irqKnown = false;
  const interrupts: InterruptRate[] = [];
  for (const i of g.interrupts?.value ?? []) {
    const perSec = perSecond(i.count, prevIrq.get(i.irq), irqDt);
    const out: InterruptRate = { irq: i.irq, name: i.name, count: i.count, perSec: round(perSec) };
    if (i.name === 'mconsole' && selfDelta !== undefined) {
      // Requests sent together can share one interrupt: ours are at most what was sent and at most what was counted.
      const sent = perSecond(selfDelta, 0, irqDt);
      const selfPerSec = sent !== undefined && perSec !== undefined ? Math.min(sent, perSec) : sent;
      out.self = {
        perSec: round(selfPerSec),
        note: "umltop's own mconsole requests (those sent together can share one interrupt); excluded from the IRQ total",
      };
      if (perSec !== undefined) {
        irqSum += Math.max(0, perSec - (selfPerSec ?? 0));
        irqKnown = true;
      }
    } else if (perSec !== undefined) {
      irqSum += perSec;
      irqKnown = true;
    }
    interrupts.push(out);
  }
  return { interrupts, irqPerSec: irqKnown ? round(irqSum) : undefined };
}

/** Softirq rates; they are asked for less often than stat: between readings, the last rates stay. */
function softirqRates(
  g: GuestCounters,
  p: GuestCounters | undefined,
  before: GuestView | undefined,
): Pick<GuestView, 'softirqs' | 'softirqPerSec'> {
  const softDt = g.softirqs && p?.softirqs ? g.softirqs.at - p.softirqs.at : 0;
  if (softDt <= 0 && before && p?.softirqs) return { softirqs: before.softirqs, softirqPerSec: before.softirqPerSec };
  const prevSoft = new Map<string, number>();
  for (const s of p?.softirqs?.value ?? []) prevSoft.set(s.name, s.count);
  let softSum = 0;
  let softKnown = false;
  const softirqs: SoftirqRate[] = [];
  for (const s of g.softirqs?.value ?? []) {
    const perSec = perSecond(s.count, prevSoft.get(s.name), softDt);
    if (perSec !== undefined) {
      softSum += perSec;
      softKnown = true;
    }
    softirqs.push({ name: s.name, count: s.count, perSec: round(perSec) });
  }
  return { softirqs, softirqPerSec: softKnown ? round(softSum) : undefined };
}

/** vmstat's counters and rates; asked for less often than stat: between readings, the last rate stays. */
function vmstatView(
  g: GuestCounters,
  p: GuestCounters | undefined,
  before: GuestView | undefined,
): GuestView['vmstat'] {
  const vm = g.vmstat?.value ?? {};
  const pvm = p?.vmstat?.value;
  const vmDt = g.vmstat && p?.vmstat ? g.vmstat.at - p.vmstat.at : 0;
  const c = reclaimCounts(vm);
  const pc = pvm ? reclaimCounts(pvm) : {};
  const b = before?.vmstat;
  return {
    stallsPerSec: rateOr(c.stalls, pc.stalls, vmDt, b?.stallsPerSec),
    directScanPerSec: rateOr(c.directScan, pc.directScan, vmDt, b?.directScanPerSec),
    refaultsPerSec: rateOr(c.refaults, pc.refaults, vmDt, b?.refaultsPerSec),
    majorFaultsPerSec: rateOr(vm.pgmajfault, pvm?.pgmajfault, vmDt, b?.majorFaultsPerSec),
    swapInsPerSec: rateOr(vm.pswpin, pvm?.pswpin, vmDt, b?.swapInsPerSec),
    oomKill: vm.oom_kill,
    pgfault: vm.pgfault,
    pgmajfault: vm.pgmajfault,
    pswpin: vm.pswpin,
    pswpout: vm.pswpout,
    pgfaultPerSec: rateOr(vm.pgfault, pvm?.pgfault, vmDt, b?.pgfaultPerSec),
    oomKillsNew:
      vm.oom_kill !== undefined && pvm?.oom_kill !== undefined && vm.oom_kill >= pvm.oom_kill
        ? vm.oom_kill - pvm.oom_kill
        : undefined,
  };
}

// Module functions: per-call closures are compiled again after each full GC (CONTRIBUTING.md).

/** A rate over `dt` ms, or (no new reading) the one kept from before. */
function rateOr(now: number | undefined, then: number | undefined, dt: number, kept: number | undefined) {
  return dt > 0 ? round(perSecond(now, then, dt)) : kept;
}

function roundSplit(split: CpuSplit): CpuSplit {
  const out = {} as CpuSplit;
  for (const k in split) out[k as keyof CpuSplit] = round(split[k as keyof CpuSplit]) as number;
  return out;
}
