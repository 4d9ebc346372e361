// The exposition benchmark (issue 20): umltop's hand-written text against prom-client 15 on the
// same families, per scrape. The families come from a real Poller over real guests, repeated to
// `instances` (the same series, other umids). prom-client has no way to set a histogram's bucket
// counts (observe() only), so its histograms are fed the same observations once, outside the
// timing, as an exporter using it would do as requests happen; gauges and counters are reset and
// set from the store on each scrape, as its docs advise for values kept elsewhere.
import client from 'prom-client';
import { render } from '../dist/exporter/metrics.js';

const parse = (text) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
      if (!m) throw new Error(`unparsable: ${l}`);
      const labels = (m[2] ?? '').match(/\w+="(?:[^"\\]|\\.)*"/g) ?? [];
      return `${m[1]}{${labels.sort().join(',')}} ${Number(m[3])}`;
    });

/** The families for `n` instances: the measured ones, their samples repeated under other umids. */
export function scale(families, n) {
  const umids = new Set(families.flatMap((f) => f.samples.map((s) => s.labels.umid).filter(Boolean)));
  const copies = Math.ceil(n / umids.size);
  return families.map((f) => ({
    ...f,
    samples: f.samples.flatMap((s) =>
      s.labels.umid === undefined
        ? [s]
        : Array.from({ length: copies }, (_, k) => ({ ...s, labels: { ...s.labels, umid: `${s.labels.umid}-${k}` } })),
    ),
  }));
}

function promClientExporter(families) {
  const regs = { prometheus: new client.Registry(), openmetrics: new client.Registry() };
  regs.openmetrics.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [regs.prometheus, regs.openmetrics];
  const metrics = families.map((f) => {
    const labelNames = [...new Set(f.samples.flatMap((s) => Object.keys(s.labels)))].filter((k) => k !== 'le');
    const help = f.help || f.name;
    if (f.type === 'gauge') return { f, m: new client.Gauge({ name: f.name, help, labelNames, registers }) };
    if (f.type === 'counter')
      return { f, m: new client.Counter({ name: `${f.name}_total`, help, labelNames, registers }) };
    const buckets = [
      ...new Set(
        f.samples.filter((s) => s.suffix === '_bucket' && s.labels.le !== '+Inf').map((s) => Number(s.labels.le)),
      ),
    ];
    const h = new client.Histogram({ name: f.name, help, labelNames, buckets, registers });
    // the same bucket counts: each observation at its bucket's upper bound
    const byInstance = new Map();
    for (const s of f.samples.filter((x) => x.suffix === '_bucket')) {
      const { le, ...labels } = s.labels;
      const key = JSON.stringify(labels);
      if (!byInstance.has(key)) byInstance.set(key, { labels, counts: [] });
      byInstance.get(key).counts.push([le === '+Inf' ? Infinity : Number(le), s.value]);
    }
    for (const { labels, counts } of byInstance.values()) {
      let below = 0;
      for (const [le, cumulative] of counts) {
        for (let i = below; i < cumulative; i++) h.observe(labels, Number.isFinite(le) ? le : buckets.at(-1) * 2);
        below = cumulative;
      }
    }
    return { f, m: h, histogram: true };
  });
  return async (format) => {
    for (const { f, m, histogram } of metrics) {
      if (histogram) continue;
      m.reset();
      for (const s of f.samples) f.type === 'gauge' ? m.set(s.labels, s.value) : m.inc(s.labels, s.value);
    }
    return regs[format].metrics();
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Per-scrape ms (median of `rounds`) for both, bytes, and whether the series are the same. */
export async function benchExposition(families, { instances = 100, rounds = 200 } = {}) {
  const fam = scale(families, instances);
  const pc = promClientExporter(fam);
  const out = { instances, rounds, series: fam.reduce((n, f) => n + f.samples.length, 0) };
  for (const format of ['prometheus', 'openmetrics']) {
    const ours = [];
    const theirs = [];
    let a = '';
    let b = '';
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      a = render(fam, format);
      ours.push(performance.now() - t);
      t = performance.now();
      b = await pc(format);
      theirs.push(performance.now() - t);
    }
    const same = (x) => parse(x).filter((l) => !l.includes('_sum{'));
    const pa = same(a).sort();
    const pb = same(b).sort();
    out[format] = {
      handWrittenMs: median(ours),
      promClientMs: median(theirs),
      handWrittenBytes: Buffer.byteLength(a),
      promClientBytes: Buffer.byteLength(b),
      sameSeries: pa.length === pb.length && pa.every((l, i) => l === pb[i]),
      unitLines: {
        handWritten: (a.match(/^# UNIT /gm) ?? []).length,
        promClient: (b.match(/^# UNIT /gm) ?? []).length,
      },
      text: { handWritten: a, promClient: b },
    };
  }
  return out;
}
