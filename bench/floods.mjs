// Section 8: keys under floods (issue 27). Ten idle guests watched by the TUI; `j`/`k` latency
// (p95 of 20 presses, as section 0 measures it) and the TUI's CPU, first with only them, then, in
// the same run, with three hostile guests added: notes to /proc/mconsole as fast as it can, its
// console as fast as it can, and its disk read again and again (an interrupt storm).
import path from 'node:path';

export async function benchFloods(results, h) {
  const { quick, log, round, spread, tmp, bootFleet, startTui, stopTui, cpuOf, keyLatency } = h;
  const notify = path.join(tmp, 'n-flood');
  const fleet = await bootFleet(10, 'fl-calm-');
  const measure = async (what) => {
    const tui = startTui(['--uml-dir', fleet.umlDir, '--interval', '1', '--notify-socket', notify]);
    try {
      const cpu = spread(await cpuOf(tui.p.pid, { warmMs: 5000, chunkMs: 5000, chunks: quick ? 1 : 4 }));
      const ms = (await keyLatency(tui, h, quick ? 5 : 20)).sort((a, b) => a - b);
      const row = { what, tuiPct: cpu, keyMs: { ...spread(ms), p95: round(ms[Math.ceil(0.95 * ms.length) - 1], 1) } };
      log('floods', JSON.stringify(row));
      return row;
    } finally {
      await stopTui(tui);
    }
  };
  try {
    const rows = [await measure('10 idle guests')];
    await Promise.all([
      fleet.start({ umid: 'fl-notes', workloads: ['noteflood'], arg: 900, notifySocket: notify }),
      fleet.start({ umid: 'fl-console', workloads: ['conflood'], arg: 900 }),
      fleet.start({ umid: 'fl-storm', workloads: ['diskread'], arg: 900, disks: [64] }),
    ]);
    rows.push(await measure('the same, with 3 flooding guests (notes, console, interrupts)'));
    results.floods = { rows };
  } finally {
    await fleet.teardown();
  }
}

export function floodsSection(x, when, num, s, ok) {
  return [
    '## 8. Keys under floods',
    '',
    ...when,
    "Ten idle guests watched by the TUI (120×40, 1 s), then the same with three hostile guests added: one writing notes to /proc/mconsole as fast as it can, one writing its console as fast as it can, one reading its disk again and again (an interrupt storm). `j`/`k` pressed 20 times, each after a refresh has drawn: ms to the redraw with the selection moved. Target: p95 ≤ 50 ms (issue 24's).",
    '',
    '| guests | TUI CPU % | key ms | p95 ≤ 50 ms |',
    '| --- | --- | --- | --- |',
    ...x.rows.map(
      (r) => `| ${r.what} | ${s(r.tuiPct)} | ${s(r.keyMs)}, p95 ${num(r.keyMs.p95)} | ${ok(r.keyMs.p95 <= 50)} |`,
    ),
    '',
  ];
}
