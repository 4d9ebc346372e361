// CPU pane: host vs guest CPU over time. The gap is UML's overhead (host work per unit of guest work).
import { Text } from 'ink';
import type { InstanceRecord } from '../../state/records.js';
import type { Theme } from '../theme.js';
import { fit, fmtPct, lineChart } from '../widgets/charts.js';
import { line, paint, type Span } from '../ink-fork/paint.js';
import { inner, Lines, Pane } from './frame.js';

export function cpuOverhead(host: number | undefined, guest: number | undefined): string {
  if (host === undefined || guest === undefined) return '-';
  if (guest < 1) return host < 1 ? 'idle' : `host ${host.toFixed(1)}% for an idle guest`;
  return `${(host / guest).toFixed(2)}×`;
}

export function CpuPane(p: { rec?: InstanceRecord; width: number; height: number; focused: boolean; theme: Theme }) {
  const t = p.theme;
  const { w, h } = inner(p.width, p.height);
  const title = `CPU${p.rec ? ` ${t.dot} ${p.rec.umid}` : ''}`;
  if (!p.rec)
    return (
      <Pane title={title} {...p}>
        <Text color={t.c('dim')}>no instance selected</Text>
      </Pane>
    );
  const r = p.rec;
  const host = r.host?.cpuPercent;
  const guest = r.guest?.cpuPercent;
  const paused = r.state === 'stopped';
  const ratio = cpuOverhead(host, guest).replace('×', t.times);
  const split = r.guest?.cpu;
  const line2 = split
    ? `us ${split.user.toFixed(0)} sy ${split.system.toFixed(0)} ni ${split.nice.toFixed(0)} wa ${split.iowait.toFixed(0)} si ${split.softirq.toFixed(0)} st ${split.steal.toFixed(0)}  ctx/s ${fmtPct(r.guest?.ctxtPerSec)} forks/s ${fmtPct(r.guest?.forksPerSec)}`
    : '';
  const chartH = Math.max(0, h - 2);
  const hostVals = r.history.hostCpu.values();
  const guestVals = r.history.guestCpu.values();
  const max = Math.max(100, ...hostVals.filter(Number.isFinite), ...guestVals.filter(Number.isFinite));
  const chart = lineChart(
    [
      { values: hostVals, tag: 0 },
      { values: guestVals, tag: 1 },
    ],
    Math.max(1, w - 5),
    chartH,
    { max, ascii: t.ascii, marks: ['h', 'g'] },
  );
  const hostLabel = `${t.ascii ? 'h' : '━'} host ${fmtPct(host)}%`;
  const guestLabel = `${t.ascii ? 'g' : '━'} guest ${paused ? 'paused' : `${fmtPct(guest)}%`}`;
  const ratioText = ratio.endsWith(t.times) && w >= 46 ? `overhead ${ratio}` : ratio;
  const dim = { color: t.c('dim') };
  const lines = [
    line(
      [
        { text: hostLabel, color: t.c('host') },
        { text: '  ' },
        { text: guestLabel, color: t.c('guest') },
        { text: '  ' },
        // fitted here, not cut by line(): the ratio gives way first and stays readable
        {
          text: fit(ratioText, Math.max(0, w - hostLabel.length - guestLabel.length - 4), 'left', t.ascii).trimEnd(),
          ...dim,
        },
      ],
      w,
      { ascii: t.ascii },
    ),
    ...chart.rows.map((row, y) =>
      line(
        [
          { text: y === 0 ? `${max.toFixed(0).padStart(3)}%` : y === chartH - 1 ? '  0%' : '    ', ...dim },
          { text: ' ' },
          ...colourRow(row, chart.owner[y]!, t),
        ],
        w,
        { ascii: t.ascii },
      ),
    ),
    paint(fit(line2, w, 'left', t.ascii), dim),
  ];
  // with no room for the chart, the figures still fit under the title (more lines would push it out)
  return (
    <Pane title={title} {...p}>
      <Lines lines={lines.slice(0, h)} />
    </Pane>
  );
}

/** Runs of chart cells drawn by one series, in its colour. */
export function colourRow(row: string, owner: number[], t: Theme): Span[] {
  const parts: Array<{ text: string; tag: number }> = [];
  let i = 0;
  for (const ch of row) {
    const tag = owner[i++] ?? -1;
    const last = parts.at(-1);
    if (last && last.tag === tag) last.text += ch;
    else parts.push({ text: ch, tag });
  }
  return parts.map((part) => ({
    text: part.text,
    color: part.tag === 0 ? t.c('host') : part.tag === 1 ? t.c('guest') : undefined,
  }));
}
