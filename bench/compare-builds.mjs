// Side by side: several builds of umltop's TUI (other checkouts, or this one with other settings)
// on the same real instances, in one run, so the machine's drift touches all of them alike.
//   node bench/compare-builds.mjs NAME=DIR[,VAR=VALUE...] ...   (DIR holds bin/umltop, built)
// Measures per build: start-up to the first full frame (interleaved), and with every build
// running at once at --interval 0.25 in a 120×40 pseudo-terminal, its CPU (% of one core) and the
// bytes it writes to the terminal per second. Prints a Markdown table and writes JSON to stdout's
// last line. Used to choose what the Ink fork keeps (docs/ink-6.8.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from 'node-pty';
import { Fleet } from '../dist/demo/fleet.js';
import { waitFor } from '../dist/runtime/wait.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(`[compare ${new Date().toISOString().slice(11, 19)}]`, ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r1 = (x) => Math.round(x * 10) / 10;
const builds = process.argv.slice(2).map((arg) => {
  const [name, rest] =
    arg.split('=', 2).length === 2 ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [];
  const [dir, ...vars] = rest.split(',');
  return {
    name,
    bin: path.join(path.resolve(dir), 'bin/umltop'),
    env: Object.fromEntries(vars.map((v) => v.split('='))),
  };
});
if (!builds.length || builds.some((b) => !fs.existsSync(b.bin))) {
  console.error('usage: node bench/compare-builds.mjs NAME=DIR[,VAR=VALUE...] ...');
  process.exit(2);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-compare-'));
const baseEnv = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), TERM: 'xterm-256color', LANG: 'C.UTF-8' };
delete baseEnv.CI;

function cpuTicks(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s
    .slice(s.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return f[11] + f[12];
}

function start(b, args) {
  const p = pty.spawn(b.bin, args, { name: 'xterm-256color', cols: 120, rows: 40, env: { ...baseEnv, ...b.env } });
  const o = { p, bytes: 0, out: '', t0: performance.now() };
  p.onData((d) => {
    o.bytes += Buffer.byteLength(d);
    if (o.out.length < 1e6) o.out += d;
  });
  return o;
}

async function stop(o) {
  o.p.write('q');
  await Promise.race([new Promise((r) => o.p.onExit(r)), sleep(3000)]);
  try {
    o.p.kill('SIGKILL');
  } catch {
    /* gone */
  }
}

const fleet = new Fleet();
try {
  for (let i = 0; i < 10; i += 5)
    await Promise.all(Array.from({ length: 5 }, (_, j) => fleet.start({ umid: `cmp-${i + j + 1}`, memMiB: 48 })));
  await sleep(10_000);
  const args = ['--uml-dir', fleet.umlDir];
  const startup = Object.fromEntries(builds.map((b) => [b.name, []]));
  for (let k = 0; k < 7; k++)
    for (const b of builds) {
      const o = start(b, [...args, '--interval', '1', '--notify-socket', path.join(tmp, `n-${k}`)]);
      await waitFor(
        () => fleet.instances.every((i) => o.out.includes(i.umid)) && o.out.includes('quit'),
        10_000,
        `${b.name}'s first full frame`,
        1,
      );
      startup[b.name].push(performance.now() - o.t0);
      await stop(o);
    }
  log('start-up done; all builds at once now');
  const running = builds.map((b, i) =>
    start(b, [...args, '--interval', '0.25', '--notify-socket', path.join(tmp, `s-${i}`)]),
  );
  await sleep(30_000); // warm-up: V8 compiles the hot code
  const t0 = performance.now();
  const before = running.map((o) => ({ ticks: cpuTicks(o.p.pid), bytes: o.bytes }));
  await sleep(60_000);
  const secs = (performance.now() - t0) / 1000;
  const steady = running.map((o, i) => ({
    cpuPercent: ((cpuTicks(o.p.pid) - before[i].ticks) / 100 / secs) * 100,
    bytesPerSec: (o.bytes - before[i].bytes) / secs,
  }));
  await Promise.all(running.map(stop));
  const rows = builds.map((b, i) => ({
    build: b.name,
    firstFullFrameMs: r1(median(startup[b.name])),
    startupRangeMs: `${r1(Math.min(...startup[b.name]))}–${r1(Math.max(...startup[b.name]))}`,
    cpuPercentAt4Hz: r1(steady[i].cpuPercent),
    bytesPerSec: Math.round(steady[i].bytesPerSec),
  }));
  console.log(
    '| build | first full frame, ms (median, range of 7) | CPU % of a core at 4 Hz | bytes/s to the terminal |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.build} | ${r.firstFullFrameMs} (${r.startupRangeMs}) | ${r.cpuPercentAt4Hz} | ${r.bytesPerSec} |`,
    );
  console.log(JSON.stringify({ instances: 10, cols: 120, rows: 40, windowS: Math.round(secs), results: rows }));
} finally {
  await fleet.teardown();
  fs.rmSync(tmp, { recursive: true, force: true });
}
