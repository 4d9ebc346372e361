// Issue 24's rows: umltop's cost with 100, 300 and 500 idle guests (TUI at 120x40 and --batch
// --json), the TUI's RSS after 10 minutes, the guests' own CPU unwatched and watched (observer
// effect), `j` latency at 500, and 30 busy guests among 300 sampled every interval with figures
// that agree with --full-rate. One fleet grows through the sizes (fewer boots on 2 cores).
import fs from 'node:fs';

/** utime+stime+cutime+cstime (ticks) of every live process under the fleet's kernels. */
function guestTicks(rootPids) {
  const parent = new Map();
  const ticks = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let s;
    try {
      s = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(name), Number(f[1]));
    ticks.set(Number(name), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
  }
  const roots = new Set(rootPids);
  let sum = 0;
  for (const [pid, t] of ticks) {
    // a kernel's threads and guest processes: walk up to a kernel (bounded: pid 1 ends it)
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++)
      if (roots.has(p)) {
        sum += t;
        break;
      }
  }
  return sum;
}

export async function benchScale(results, h) {
  const { quick, log, round, spread, sleep, tmp, BIN } = h;
  const sizes = quick ? [10, 30, 50] : [100, 300, 500];
  const rssAtS = quick ? 40 : 600;
  const win = quick ? { warmMs: 5000, chunkMs: 3000, chunks: 2 } : { warmMs: 60_000, chunkMs: 10_000, chunks: 3 };
  const observeMs = quick ? 6000 : 60_000;
  const out = {
    guestMemMiB: 48,
    intervalS: 1,
    warmS: win.warmMs / 1000,
    windowS: (win.chunkMs * win.chunks) / 1000,
    rows: [],
  };
  results.scale = out;
  const umltopArgs = (fleet, tag, extra = []) => [
    '--interval',
    '1',
    '--uml-dir',
    fleet.umlDir,
    '--notify-socket',
    `${tmp}/n-scale-${tag}`,
    ...extra,
  ];
  const fleet = await h.bootFleet(sizes[0], 'idle-');
  const pids = () => fleet.instances.map((i) => i.pid);
  /** The guests' CPU (% of one core, all of them) over `ms`. */
  const guestPct = async (ms) => {
    const t0 = performance.now();
    const a = guestTicks(pids());
    await sleep(ms);
    return ((guestTicks(pids()) - a) / h.HZ / ((performance.now() - t0) / 1000)) * 100;
  };
  try {
    for (const [k, n] of sizes.entries()) {
      if (k > 0) await h.growFleet(fleet, n, 'idle-');
      await sleep(quick ? 3000 : 20_000); // boot-time work in the guests settles
      const row = { instances: n };
      const first = k === 0;
      if (first) row.guestsUnwatchedPct = round(await guestPct(observeMs), 2);
      row.start = await startCheck(h, ['--batch', '--json', ...umltopArgs(fleet, `s${n}`)]);
      // --batch --json: its CPU, and (first size) the guests' CPU while it watches
      const batch = h.spawnQuiet(BIN, ['--batch', '--json', ...umltopArgs(fleet, `b${n}`)]);
      const guestsWatched = first ? sleep(win.warmMs).then(() => guestPct(observeMs)) : undefined;
      row.batchPct = spread(await h.cpuOf(batch.pid, win));
      if (guestsWatched) row.guestsWatchedPct = round(await guestsWatched, 2);
      await h.killAndWait(batch);
      // the TUI in a 120x40 pty
      const tui = h.startTui(umltopArgs(fleet, `t${n}`));
      const tuiStart = performance.now();
      row.tuiPct = spread(await h.cpuOf(tui.p.pid, win));
      if (n === sizes.at(-1)) {
        const ms = (await keyLatency(tui, h, quick ? 5 : 20)).sort((a, b) => a - b);
        row.keyMs = { ...spread(ms), p95: round(ms[Math.ceil(0.95 * ms.length) - 1], 1) }; // nearest rank
      }
      if (first || n === sizes.at(-1)) {
        await sleep(Math.max(0, rssAtS * 1000 - (performance.now() - tuiStart)));
        row.tuiRss = { atS: rssAtS, ...h.rssKiB(tui.p.pid) };
      }
      await h.stopTui(tui);
      row.observer =
        row.guestsWatchedPct === undefined ? undefined : round(row.guestsWatchedPct / row.guestsUnwatchedPct, 3);
      out.rows.push(row);
      log('scale', JSON.stringify(row));
    }
  } finally {
    await fleet.teardown();
  }
}

/**
 * umltop started on the fleet (all idle and well): ms to its first document, and the most
 * instances any of its first three documents called anything but running (it should be none).
 */
async function startCheck(h, args) {
  const t0 = performance.now();
  const j = h.spawnJson(h.BIN, args);
  const docs = [];
  let firstDocMs;
  const got = new Promise((resolve) => {
    j.onDoc = (d) => {
      firstDocMs ??= Math.round(performance.now() - t0);
      docs.push(d);
      if (docs.length === 3) resolve();
    };
  });
  await Promise.race([got, j.done, h.sleep(30_000)]); // bounded: a start that never reports ends here
  await h.killAndWait(j.child);
  const errors = docs.flatMap((d) => (d.events ?? []).filter((e) => e.type === 'error'));
  return {
    firstDocMs,
    documents: docs.length,
    notRunning: Math.max(0, ...docs.map((d) => d.instances.filter((i) => i.state !== 'running').length)),
    errorEvents: errors.length,
  };
}

/** `j` pressed after a refresh has drawn (so the next one is most of an interval away): ms to the redraw with the moved selection. */
export async function keyLatency(tui, h, presses) {
  const ms = [];
  for (let i = 0; i < presses; i++) {
    // wait for a refresh, then for 150 ms of silence after it
    const seen = tui.bytes;
    await h.waitFor(() => tui.bytes > seen, 5000, 'a refresh', 5);
    let last = tui.bytes;
    let quietSince = performance.now();
    await h.waitFor(
      () => {
        if (tui.bytes !== last) {
          last = tui.bytes;
          quietSince = performance.now();
        }
        return performance.now() - quietSince >= 150;
      },
      5000,
      '150 ms without output',
      5,
    );
    const from = tui.out.length;
    const t0 = performance.now();
    tui.p.write(i % 2 ? 'k' : 'j');
    // the selected row carries the mark: the redraw that moves it answers the key
    await h.waitFor(() => tui.out.indexOf('\u25b6', from) !== -1, 5000, 'the selection redrawn', 1);
    ms.push(performance.now() - t0);
  }
  return ms;
}

/**
 * `n` guests of which 30 are busy, watched by umltop and by umltop --full-rate at once: are the
 * busy ones sampled every interval, and do the two agree? Each busy guest uses a share of a
 * core, as guests on a 2-core host must: 10 run a CPU burst every second (cpuburst), 10 read
 * 1 MiB from a disk every second (diskslow), 10 ping every 0.2 s (net). Thirty guests that spin or
 * read flat out starve every process on 2 cores, umltop included (tried: load 39-48, each umltop
 * ~2 % of a core, fewer than 20 documents in 400 s).
 */
export async function benchBusy(results, h) {
  const n = h.quick ? 30 : 300;
  const each = h.quick ? 2 : 10;
  const fleet = await h.bootFleet(n - 3 * each, 'idle-');
  const umltopArgs = (_f, tag, extra = []) => [
    ...['--interval', '1', '--uml-dir', fleet.umlDir, '--notify-socket', `${h.tmp}/n-busy-${tag}`],
    ...extra,
  ];
  try {
    results.busy = await busyRun(fleet, n, each, h, umltopArgs);
  } finally {
    await fleet.teardown();
  }
  h.log('busy', JSON.stringify(results.busy));
}

async function busyRun(fleet, n, each, h, umltopArgs) {
  const { quick, round, BIN } = h;
  const busy = [];
  for (const [w, extra] of [
    ['cpuburst', {}],
    ['diskslow', { disks: [16] }],
    ['net', { tap: true }],
  ])
    for (let i = 0; i < each; i++)
      busy.push(await fleet.start({ umid: `busy-${w}-${i}`, memMiB: 48, workloads: [w], ...extra }));
  const windowS = quick ? 10 : 60;
  const warm = quick ? 5 : 20;
  const docs = { quiet: [], full: [] };
  const runs = Object.keys(docs).map((mode) => {
    const c = h.spawnJson(BIN, [
      '--batch',
      '--json',
      '-n',
      String(warm + windowS),
      ...umltopArgs(fleet, `busy-${mode}`, mode === 'full' ? ['--full-rate'] : []),
    ]);
    c.onDoc = (d) => docs[mode].push(d);
    return c.done;
  });
  await Promise.all(runs);
  const names = new Set(busy.map((b) => b.umid));
  const figures = (mode) => {
    const per = new Map();
    const steady = docs[mode].slice(warm);
    for (const d of steady)
      for (const i of d.instances) {
        if (!names.has(i.umid)) continue;
        const f = per.get(i.umid) ?? { sum: { cpu: 0, disk: 0, net: 0 }, n: { cpu: 0, disk: 0, net: 0 }, ages: [] };
        // a figure a document lacks (no sample yet, a timed-out file) is missing, not zero
        const add = (k, v) => {
          if (v === undefined || v === null) return;
          f.sum[k] += v;
          f.n[k]++;
        };
        add('cpu', i.host?.cpuPercent);
        add(
          'disk',
          i.guest?.disks?.length ? i.guest.disks.reduce((a, x) => a + (x.readBytesPerSec ?? 0), 0) : undefined,
        );
        add(
          'net',
          i.network?.length
            ? i.network.reduce((a, x) => a + (x.rxBytesPerSec ?? 0) + (x.txBytesPerSec ?? 0), 0)
            : undefined,
        );
        f.ages.push(i.sampleAgeMs ?? Infinity);
        per.set(i.umid, f);
      }
    for (const f of per.values())
      for (const k of ['cpu', 'disk', 'net']) {
        f.missing ??= {};
        f.missing[k] = steady.length - f.n[k];
        f[k] = f.n[k] ? f.sum[k] / f.n[k] : 0;
      }
    return per;
  };
  const q = figures('quiet');
  const f = figures('full');
  const byKind = {};
  for (const kind of ['cpuburst', 'diskslow', 'net']) {
    const field = { cpuburst: 'cpu', diskslow: 'disk', net: 'net' }[kind];
    const umids = busy.filter((b) => b.umid.startsWith(`busy-${kind}-`)).map((b) => b.umid);
    const sum = (m) => umids.reduce((a, u) => a + (m.get(u)?.[field] ?? 0), 0);
    const worstAge = Math.max(...umids.flatMap((u) => q.get(u)?.ages ?? [Infinity]));
    byKind[kind] = {
      guests: umids.length,
      figure: { cpu: 'host CPU %', disk: 'disk read B/s', net: 'net rx+tx B/s' }[field],
      quiet: round(sum(q), 1),
      fullRate: round(sum(f), 1),
      ratio: round(sum(q) / sum(f), 3),
      // documents in which a busy guest lacked the figure, summed over the guests
      missing: {
        quiet: umids.reduce((a, u) => a + (q.get(u)?.missing?.[field] ?? 0), 0),
        fullRate: umids.reduce((a, u) => a + (f.get(u)?.missing?.[field] ?? 0), 0),
      },
      worstAgeMs: worstAge,
    };
  }
  return { instances: n, busy: busy.length, windowS, documents: docs.quiet.length - warm, byKind };
}
