// umltop's benchmarks on real UML instances, each figure beside a baseline measured in the same
// run. `node bench/run.mjs [--quick] [--only=scale,busy,cpu,isolation,latency,bytes,startup,rss,exposition,install,floods]`
// (npm run bench). Writes bench/results.{md,json} (--quick: bench/results-quick.{md,json}).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from 'node-pty';
import si from 'systeminformation';
import { Fleet, waitFor } from '../dist/demo/fleet.js';
import { benchInstall } from './install.mjs';
import { benchFloods } from './floods.mjs';
import { benchBalance } from './balance.mjs';
import { benchBusy, benchScale, keyLatency } from './scale.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/umltop');
const quick = process.argv.includes('--quick');
const only = (
  process.argv.find((a) => a.startsWith('--only='))?.slice(7) ??
  'scale,busy,cpu,isolation,latency,bytes,startup,rss,exposition,install,floods,balance'
).split(',');
const HZ = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-bench-'));
const env = {
  ...process.env,
  XDG_CONFIG_HOME: path.join(tmp, 'xdg'),
  XDG_STATE_HOME: path.join(tmp, 'state'),
  TERM: 'xterm-256color',
  LANG: 'C.UTF-8',
};
delete env.CI;

// ---- helpers ---------------------------------------------------------------------------------

function cpuTicks(pid, withChildren) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s
    .slice(s.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // fields after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
  return f[11] + f[12] + (withChildren ? f[13] + f[14] : 0);
}

function rssKiB(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]), hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const spread = (xs) => ({
  median: round(median(xs)),
  min: round(Math.min(...xs)),
  max: round(Math.max(...xs)),
  n: xs.length,
});
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** CPU % of one core of `pid` over `chunks` windows of `chunkMs`, after `warmMs`. */
async function cpuOf(pid, { warmMs, chunkMs, chunks, withChildren = false }) {
  await sleep(warmMs);
  const out = [];
  let prev = cpuTicks(pid, withChildren);
  let t = performance.now();
  for (let i = 0; i < chunks; i++) {
    await sleep(chunkMs);
    const now = cpuTicks(pid, withChildren);
    const t2 = performance.now();
    out.push(((now - prev) / HZ / ((t2 - t) / 1000)) * 100);
    prev = now;
    t = t2;
  }
  return out;
}

function startTui(args, { cols = 120, rows = 40 } = {}, cmd = BIN) {
  const p = pty.spawn(cmd, args, { name: 'xterm-256color', cols, rows, cwd: ROOT, env });
  const o = { p, bytes: 0, out: '', t0: performance.now() };
  p.onData((d) => {
    o.bytes += Buffer.byteLength(d);
    if (o.out.length < 4e6) o.out += d;
  });
  return o;
}

async function stopTui(o) {
  o.p.write('q');
  await Promise.race([new Promise((r) => o.p.onExit(r)), sleep(3000)]);
  try {
    o.p.kill('SIGKILL');
  } catch {
    /* gone */
  }
}

function spawnQuiet(cmd, args) {
  const c = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  c.stderr.on('data', () => {});
  return c;
}

async function killAndWait(c) {
  if (c.exitCode !== null) return;
  c.kill('SIGTERM');
  await Promise.race([new Promise((r) => c.on('exit', r)), sleep(3000)]);
  if (c.exitCode === null) c.kill('SIGKILL');
}

/** Boots 8 at a time: a hundred at once on 2 cores outlast their boot deadline. */
async function bootFleet(n, prefix, extra = {}) {
  const t0 = performance.now();
  const fleet = new Fleet();
  try {
    for (let i = 0; i < n; i += 8)
      await Promise.all(
        Array.from({ length: Math.min(8, n - i) }, (_, j) =>
          fleet.start({ umid: `${prefix}${i + j + 1}`, memMiB: 48, ...extra }),
        ),
      );
  } catch (e) {
    await fleet.teardown();
    throw e;
  }
  log(`booted ${n} instance(s) in ${Math.round(performance.now() - t0)} ms`);
  return fleet;
}

/** Starts `prefix`N instances (idle, 48 MiB) until the fleet has `n` of them, 8 at a time. */
async function growFleet(fleet, n, prefix) {
  const t0 = performance.now();
  const have = fleet.instances.filter((i) => i.umid.startsWith(prefix)).length;
  for (let i = have; i < n; i += 8)
    await Promise.all(
      Array.from({ length: Math.min(8, n - i) }, (_, j) => fleet.start({ umid: `${prefix}${i + j + 1}`, memMiB: 48 })),
    );
  log(`grew to ${n} ${prefix}* instance(s) in ${Math.round(performance.now() - t0)} ms`);
}

/** A batch umltop whose JSON lines go to `onDoc` as they come; `done` when it exits. */
function spawnJson(cmd, args) {
  const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const o = { child: c, onDoc: () => {}, done: new Promise((r) => c.on('exit', r)) };
  let part = '';
  c.stdout.on('data', (d) => {
    const lines = (part + d).split('\n');
    part = lines.pop();
    for (const l of lines) if (l.trim()) o.onDoc(JSON.parse(l));
  });
  return o;
}

// ---- 1. CPU per instance-refresh vs one uml_mconsole process per query ----------------------

const BASELINE = `
socks=("$@"); n=0
while :; do
  t0=$EPOCHREALTIME
  for s in "\${socks[@]}"; do
    uml_mconsole "$s" proc stat >/dev/null
    (( n % 2 == 0 )) && uml_mconsole "$s" proc meminfo >/dev/null
    (( n % 5 == 0 )) && uml_mconsole "$s" proc diskstats >/dev/null
    (( n % 30 == 0 )) && uml_mconsole "$s" proc interrupts >/dev/null
    (( n == 0 )) && uml_mconsole "$s" proc softirqs >/dev/null
    (( n % 5 == 0 )) && uml_mconsole "$s" proc vmstat >/dev/null
    (( n % 5 == 0 )) && uml_mconsole "$s" proc loadavg >/dev/null
  done
  n=$((n + 1))
  left=$(( 1000000 - (\${EPOCHREALTIME/./} - \${t0/./}) ))
  (( left > 0 )) && sleep "0.$(printf %06d $left)"
done`;

async function benchCpu(results) {
  const sizes = quick ? [10] : [1, 10, 30, 100];
  // umltop is measured after a minute: V8 keeps compiling hot code for that long at one refresh a
  // second (batch, 10 guests, 30-s windows from start: 4.1, 3.2, 2.6, 2.2, then ~2.1 %). The
  // baseline (bash, a new uml_mconsole per query) has no warm-up to wait for.
  const win = quick ? { warmMs: 3000, chunkMs: 3000, chunks: 2 } : { warmMs: 60_000, chunkMs: 5000, chunks: 6 };
  const baseWin = { ...win, warmMs: Math.min(win.warmMs, 6000) };
  results.cpu = {
    intervalS: 1,
    windowS: (win.chunkMs * win.chunks) / 1000,
    warmS: win.warmMs / 1000,
    baselineWarmS: baseWin.warmMs / 1000,
    rows: [],
  };
  for (const n of sizes) {
    const fleet = await bootFleet(n, `cpu${n}-`);
    try {
      const row = { instances: n };
      // umltop, interactive (in a 120x40 pty), and in batch mode
      const tui = startTui([
        '--uml-dir',
        fleet.umlDir,
        '--interval',
        '1',
        '--notify-socket',
        path.join(tmp, `n-cpu${n}`),
      ]);
      row.tuiPct = spread(await cpuOf(tui.p.pid, win));
      await stopTui(tui);
      const batch = spawnQuiet(BIN, [
        '--batch',
        '--json',
        '--interval',
        '1',
        '--uml-dir',
        fleet.umlDir,
        '--notify-socket',
        path.join(tmp, `n-cpub${n}`),
      ]);
      row.batchPct = spread(await cpuOf(batch.pid, win));
      await killAndWait(batch);
      // uml_mconsole finds an instance by umid under $HOME/.uml (given a path, it first tries umid
      // dirs and warns): give it the umids the way a user would.
      fs.symlinkSync(fleet.umlDir, path.join(fleet.root, '.uml'));
      const base = spawn('bash', ['-c', BASELINE, 'baseline', ...fleet.instances.map((i) => i.umid)], {
        env: { ...env, HOME: fleet.root },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let baseErr = '';
      base.stderr.on('data', (d) => {
        baseErr += d;
      });
      row.baselinePct = spread(await cpuOf(base.pid, { ...baseWin, withChildren: true }));
      await killAndWait(base);
      if (baseErr.trim()) log(`baseline stderr: ${baseErr.trim().split('\n').slice(-3).join(' | ')}`);
      const per = (pct) => round(((pct / 100) * 1000) / n, 3); // ms of CPU per instance per 1-s refresh
      row.tuiMsPerRefresh = per(row.tuiPct.median);
      row.batchMsPerRefresh = per(row.batchPct.median);
      row.baselineMsPerRefresh = per(row.baselinePct.median);
      row.tuiVsBaseline = round(row.tuiPct.median / row.baselinePct.median, 3);
      row.batchVsBaseline = round(row.batchPct.median / row.baselinePct.median, 3);
      results.cpu.rows.push(row);
      log(`cpu n=${n}: tui ${row.tuiPct.median}% batch ${row.batchPct.median}% baseline ${row.baselinePct.median}%`);
    } finally {
      await fleet.teardown();
    }
  }
}

// ---- 2. Isolation: one SIGSTOPped, one mconsole-stopped instance ----------------------------

async function benchIsolation(results) {
  const fleet = await bootFleet(6, 'iso-');
  try {
    const [frozen, paused, ...healthy] = fleet.instances;
    process.kill(frozen.pid, 'SIGSTOP');
    execFileSync('uml_mconsole', [paused.socket, 'stop']);
    const docs = [];
    const c = spawn(
      BIN,
      [
        '--batch',
        '--json',
        '--interval',
        '1',
        '-n',
        quick ? '6' : '20',
        // every guest asked every interval: the figure is what hung guests do to the others (with
        // quiet sampling an idle guest's age runs up to quiet_max_age by design)
        '--full-rate',
        '--uml-dir',
        fleet.umlDir,
        '--notify-socket',
        path.join(tmp, 'n-iso'),
      ],
      { env, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let buf = '';
    c.stdout.on('data', (d) => {
      buf += d;
    });
    await new Promise((r) => c.on('exit', r));
    for (const l of buf.trim().split('\n')) docs.push(JSON.parse(l));
    const steady = docs.slice(3); // after the ladder has settled
    const ages = steady.flatMap((d) =>
      d.instances.filter((i) => healthy.some((h) => h.umid === i.umid)).map((i) => i.sampleAgeMs),
    );
    const states = Object.fromEntries(docs.at(-1).instances.map((i) => [i.umid, i.state]));
    results.isolation = {
      intervalMs: 1000,
      fullRate: true,
      healthy: healthy.length,
      documents: steady.length,
      healthyAgeMs: spread(ages),
      maxAgeIntervals: round(Math.max(...ages) / 1000, 2),
      sigstopped: states[frozen.umid],
      mconsoleStopped: states[paused.umid],
    };
    // the figures behind the tests' generous wall-clock limits (issue 26): measured here, not asserted
    results.isolation.cliOverrunMs = spread(
      Array.from({ length: quick ? 2 : 5 }, () => {
        const t = performance.now();
        spawnSync(BIN, ['mconsole', '--uml-dir', fleet.umlDir, '--timeout', '1', frozen.umid, 'version'], { env });
        return performance.now() - t - 1000;
      }),
    );
    results.isolation.stopToUnresponsiveMs = spread(await stopToUnresponsive(fleet, healthy, quick ? 2 : 5));
    log('isolation', JSON.stringify(results.isolation));
    process.kill(frozen.pid, 'SIGCONT');
    execFileSync('uml_mconsole', [paused.socket, 'go']);
  } finally {
    await fleet.teardown();
  }
}

// SIGSTOP a healthy guest under a 500-ms batch and time the first document that shows it unresponsive.
async function stopToUnresponsive(fleet, healthy, reps) {
  const out = [];
  for (let i = 0; i < reps; i++) {
    const victim = healthy[i % healthy.length];
    const c = spawn(BIN, ['--batch', '--json', '--interval', '0.5', '-n', '20', '--uml-dir', fleet.umlDir], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let buf = '';
    let docs = 0;
    let stoppedAt = 0;
    const seen = new Promise((resolve) => {
      c.stdout.on('data', (d) => {
        buf += d;
        let nl = buf.indexOf('\n');
        for (; nl >= 0; nl = buf.indexOf('\n')) {
          const doc = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (++docs === 4) {
            process.kill(victim.pid, 'SIGSTOP');
            stoppedAt = performance.now();
          }
          const state = doc.instances.find((x) => x.umid === victim.umid)?.state;
          if (stoppedAt && state === 'unresponsive') resolve(performance.now() - stoppedAt);
        }
      });
      c.on('exit', () => resolve(undefined));
    });
    const ms = await seen;
    await killAndWait(c);
    process.kill(victim.pid, 'SIGCONT');
    if (ms !== undefined) out.push(ms);
    await sleep(1500); // the guest catches up on its timers before the next run
  }
  return out;
}

// ---- 3. Latency: new instance → store / screen; notify panic → event ------------------------

async function benchLatency(results) {
  const reps = quick ? 2 : 5;
  const fleet = await bootFleet(2, 'lat-');
  const notify = path.join(tmp, 'n-lat');
  const out = { newToStoreMs: [], newToScreenMs: [], panicToEventMs: [], panicToScreenMs: [] };
  try {
    // the store: umltop --feed prints every store input as it is applied
    const feed = spawn(BIN, ['--feed', '--interval', '1', '--uml-dir', fleet.umlDir, '--notify-socket', notify], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // first time each umid is discovered running, and panic events, as the lines arrive
    const seen = new Map();
    let panics = 0;
    let part = '';
    feed.stdout.on('data', (d) => {
      const now = performance.now();
      const lines = (part + d).split('\n');
      part = lines.pop();
      for (const l of lines) {
        const line = JSON.parse(l);
        if (line.op === 'discovery') for (const f of line.args[0]) if (!seen.has(f.umid)) seen.set(f.umid, now);
        if (line.op === 'event' && line.args[0]?.data?.kind === 'panic') panics++;
      }
    });
    const tui = startTui([
      '--uml-dir',
      fleet.umlDir,
      '--interval',
      '1',
      '--notify-socket',
      path.join(tmp, 'n-lat-tui'),
    ]);
    await sleep(quick ? 1500 : 3000);
    for (let k = 0; k < reps; k++) {
      const umid = `lat-new${k}`;
      // t0: the instance's umid dir appears (the first trace of it a watcher could see)
      const dirPath = path.join(fleet.umlDir, umid);
      let tSock;
      const watcher = setInterval(() => {
        if (tSock === undefined && fs.existsSync(dirPath)) tSock = performance.now();
      }, 2);
      const started = fleet.start({ umid }, { waitReady: false });
      let tStore, tScreen;
      await waitFor(
        () => {
          const now = performance.now();
          tStore ??= seen.get(umid);
          if (tScreen === undefined && tui.out.includes(umid)) tScreen = now;
          return tStore !== undefined && tScreen !== undefined;
        },
        30_000,
        `${umid} in the store and on screen`,
        2,
      );
      clearInterval(watcher);
      await started;
      out.newToStoreMs.push(tStore - tSock);
      out.newToScreenMs.push(tScreen - tSock);
      tui.out = '';
    }
    // notify panic: a guest started with mconsole=notify: panics on `sysrq c`
    for (let k = 0; k < reps; k++) {
      const umid = `lat-panic${k}`;
      const inst = await fleet.start({ umid, notifySocket: notify });
      await sleep(quick ? 800 : 1500);
      const before = panics;
      const t0 = performance.now();
      const crash = spawn('uml_mconsole', [inst.socket, 'sysrq', 'c'], { stdio: 'ignore' }); // never answered: the guest panics
      await waitFor(() => panics > before, 15_000, 'the panic event', 2);
      out.panicToEventMs.push(performance.now() - t0);
      crash.kill('SIGKILL');
    }
    // on screen: the TUI listens on the notify socket of the next panicking guest
    await stopTui(tui);
    const tui2 = startTui(['--uml-dir', fleet.umlDir, '--interval', '1', '--notify-socket', path.join(tmp, 'n-lat2')]);
    for (let k = 0; k < reps; k++) {
      const inst = await fleet.start({ umid: `lat-scr${k}`, notifySocket: path.join(tmp, 'n-lat2') });
      await sleep(quick ? 800 : 1500);
      tui2.out = '';
      const t0 = performance.now();
      const crash = spawn('uml_mconsole', [inst.socket, 'sysrq', 'c'], { stdio: 'ignore' });
      await waitFor(
        () => /panic/i.test(tui2.out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')),
        15_000,
        'the panic on screen',
        2,
      );
      out.panicToScreenMs.push(performance.now() - t0);
      crash.kill('SIGKILL');
    }
    await stopTui(tui2);
    await killAndWait(feed);
  } finally {
    await fleet.teardown();
  }
  results.latency = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, spread(v)]));
  log('latency', JSON.stringify(results.latency));
}

// ---- 4. Bytes on the wire vs htop -d 10, 120x40, 5 instances --------------------------------

async function benchBytes(results) {
  const fleet = await bootFleet(5, 'wire-');
  const win = quick ? 8000 : 30_000;
  try {
    const measure = async (o) => {
      await sleep(quick ? 3000 : 5000);
      const b0 = o.bytes;
      const t0 = performance.now();
      await sleep(win);
      return ((o.bytes - b0) / (performance.now() - t0)) * 1000;
    };
    const u = startTui(['--uml-dir', fleet.umlDir, '--interval', '1', '--notify-socket', path.join(tmp, 'n-wire')]);
    const umltop = await measure(u);
    await stopTui(u);
    let htop = null;
    try {
      execFileSync('bash', ['-c', 'command -v htop']);
      const h = pty.spawn('htop', ['-d', '10'], { name: 'xterm-256color', cols: 120, rows: 40, cwd: tmp, env });
      const o = { p: h, bytes: 0, out: '' };
      h.onData((d) => {
        o.bytes += Buffer.byteLength(d);
      });
      htop = await measure(o);
      h.kill('SIGKILL');
    } catch {
      log('htop not found: no baseline');
    }
    results.bytes = {
      cols: 120,
      rows: 40,
      instances: 5,
      windowS: win / 1000,
      umltopBytesPerSec: Math.round(umltop),
      htopBytesPerSec: htop === null ? null : Math.round(htop),
    };
    log('bytes', JSON.stringify(results.bytes));
  } finally {
    await fleet.teardown();
  }
}

// ---- 5. Start-up to first full frame; RSS after history with 30 instances -------------------

async function benchStartup(results) {
  const fleet = await bootFleet(10, 'st-');
  const times = [];
  let load1;
  try {
    // Timed on a fleet that has been up for a while, as a user starts umltop on instances
    // already running (not while 10 guests' init scripts share the 2 cores with it).
    await sleep(quick ? 3000 : 10_000);
    load1 = Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    for (let k = 0; k < (quick ? 2 : 7); k++) {
      const o = startTui(['--uml-dir', fleet.umlDir, '--interval', '1', '--notify-socket', path.join(tmp, `n-st${k}`)]);
      await waitFor(
        () => fleet.instances.every((i) => o.out.includes(i.umid)) && o.out.includes('quit'),
        10_000,
        'the first full frame',
        1,
      );
      times.push(performance.now() - o.t0);
      await stopTui(o);
    }
  } finally {
    await fleet.teardown();
  }
  results.startup = { instances: 10, firstFullFrameMs: spread(times), hostLoad1AtStart: load1 };
  log('startup', JSON.stringify(results.startup));
}

async function benchRss(results) {
  const n = 30;
  const seconds = quick ? 15 : 600;
  const fleet = await bootFleet(n, 'rss-');
  try {
    const o = startTui(['--uml-dir', fleet.umlDir, '--interval', '1', '--notify-socket', path.join(tmp, 'n-rss')]);
    await sleep(3000);
    const start = rssKiB(o.p.pid);
    const series = [];
    for (let t = 0; t < seconds; t += 15) {
      await sleep(Math.min(15, seconds - t) * 1000);
      series.push(rssKiB(o.p.pid).rss);
    }
    const end = rssKiB(o.p.pid);
    await stopTui(o);
    results.rss = {
      instances: n,
      historySeconds: seconds,
      startKiB: start.rss,
      endKiB: end.rss,
      peakKiB: end.hwm,
      seriesKiB: series,
    };
    log('rss', JSON.stringify({ ...results.rss, seriesKiB: undefined }));
  } finally {
    await fleet.teardown();
  }
}

// ---- 8. Exposition: hand-written text vs prom-client, per scrape --------------------------------

async function benchExpositionSection(results) {
  const fleet = await bootFleet(10, 'expo-', {});
  try {
    const { Store } = await import('../dist/state/store.js');
    const { Poller } = await import('../dist/collectors/poller.js');
    const { systemClock } = await import('../dist/runtime/clock.js');
    const { metricFamilies } = await import('../dist/exporter/metrics.js');
    const { benchExposition } = await import('./exposition.mjs');
    const store = new Store(systemClock);
    const poller = new Poller({ sink: store, clock: systemClock, umlDirs: [fleet.umlDir], watch: false });
    for (let i = 0; i < 3; i++) {
      await poller.tick();
      await sleep(1000);
    }
    poller.stop();
    const families = metricFamilies(store, { userName: () => 'root', version: 'bench' });
    const r = await benchExposition(families, { instances: 100, rounds: quick ? 30 : 200 });
    // promtool's verdict on both texts
    const lint = {};
    for (const [who, text] of Object.entries(r.prometheus.text)) {
      fs.writeFileSync(path.join(tmp, `${who}.txt`), text);
      lint[who] = execFileSync('bash', ['-c', `promtool check metrics < ${tmp}/${who}.txt 2>&1; echo rc=$?`], {
        encoding: 'utf8',
      }).trim();
    }
    for (const f of ['prometheus', 'openmetrics']) delete r[f].text;
    results.exposition = { ...r, promtool: lint };
    log('exposition', JSON.stringify(results.exposition));
  } finally {
    await fleet.teardown();
  }
}

// ---- run and write ----------------------------------------------------------------------------

const [cpu, mem, osInfo] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
const uml = execFileSync('bash', [path.join(ROOT, 'scripts/uml-kernel.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
});
const results = {
  schema: 'umltop-bench/1',
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  umltop: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
  commit: (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })(),
  machine: {
    cpu: `${cpu.manufacturer} ${cpu.brand}`,
    cores: cpu.cores,
    physicalCores: cpu.physicalCores,
    memGiB: round(mem.total / 2 ** 30, 1),
    os: `${osInfo.distro} ${osInfo.release}`,
    kernel: osInfo.kernel,
    node: process.version,
    umlKernel: /UMLTOP_KERNEL=(.*)/.exec(uml)?.[1] ?? null,
    virtualised: fs.existsSync('/proc/xen') || /hypervisor/.test(fs.readFileSync('/proc/cpuinfo', 'utf8')),
  },
};
const t0 = Date.now();
try {
  if (only.includes('cpu')) await benchCpu(results);
  if (only.includes('busy')) await benchBusy(results, { quick, log, round, tmp, BIN, waitFor, bootFleet, spawnJson });
  if (only.includes('scale'))
    await benchScale(results, {
      ...{ quick, log, round, spread, sleep, tmp, BIN, HZ, waitFor },
      ...{ bootFleet, growFleet, startTui, stopTui, spawnQuiet, spawnJson, killAndWait, cpuOf, rssKiB },
    });
  if (only.includes('isolation')) await benchIsolation(results);
  if (only.includes('latency')) await benchLatency(results);
  if (only.includes('bytes')) await benchBytes(results);
  if (only.includes('startup')) await benchStartup(results);
  if (only.includes('rss')) await benchRss(results);
  if (only.includes('exposition')) await benchExpositionSection(results);
  if (only.includes('floods'))
    await benchFloods(results, {
      ...{ quick, log, round, spread, tmp, bootFleet, startTui, stopTui, cpuOf, keyLatency, waitFor },
    });
  if (only.includes('balance')) await benchBalance(results, { quick, log, round, tmp, BIN, env, sleep });
  if (only.includes('install'))
    await benchInstall(results, {
      quick,
      log,
      round,
      spread,
      sleep,
      tmp,
      bootFleet,
      startTui,
      stopTui,
      waitFor,
      rssKiB,
    });
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
results.durationS = Math.round((Date.now() - t0) / 1000);
const base = path.join(ROOT, 'bench', quick ? 'results-quick' : 'results');
// A run of some sections (--only) keeps the others of the last run, each with the commit and the
// date it was measured at, so one file says what every figure is.
const SECTIONS = [
  'scale',
  'busy',
  'cpu',
  'isolation',
  'latency',
  'bytes',
  'startup',
  'rss',
  'exposition',
  'install',
  'floods',
  'balance',
];
for (const k of SECTIONS) if (results[k]) results[k].measured = { commit: results.commit, date: results.date };
if (process.argv.some((a) => a.startsWith('--only='))) {
  try {
    const before = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
    for (const k of SECTIONS) {
      if (results[k] || !before[k]) continue;
      results[k] = before[k];
      results[k].measured ??= { commit: before.commit, date: before.date };
    }
  } catch {
    /* no earlier run */
  }
}
fs.writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(`${base}.md`, (await import('./report.mjs')).report(results));
log(`wrote ${path.relative(ROOT, base)}.md and .json in ${results.durationS} s`);
process.exit(0);
