// Memory pane: the guest's meminfo as bars, its hotplug state, and what it costs the host.
import { Text } from 'ink';
import type { BalanceDecision } from '../../state/advice.js';
import type { InstanceRecord } from '../../state/records.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import { fit, fmtKiB, gauge, stackedBar } from '../widgets/charts.js';
import { line, paint } from '../ink-fork/paint.js';
import { inner, Lines, Pane } from './frame.js';

interface MemoryPaneProps {
  rec?: InstanceRecord;
  /** The memory advice for it (state/advice.ts). */
  advice?: BalanceDecision;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
}

export function MemoryPane(p: MemoryPaneProps) {
  const t = p.theme;
  const { w, h } = inner(p.width, p.height);
  const title = `Memory${p.rec ? ` ${t.dot} ${p.rec.umid}` : ''}`;
  const m = p.rec?.guest?.meminfo;
  if (!p.rec || !m || m.MemTotal === undefined) {
    return (
      <Pane title={title} {...p}>
        <Text color={t.c('dim')}>{p.rec ? 'no guest memory figures (not answering)' : 'no instance selected'}</Text>
      </Pane>
    );
  }
  const total = m.MemTotal;
  const free = m.MemFree ?? 0;
  const avail = m.MemAvailable ?? free;
  const cache = (m.Cached ?? 0) + (m.Buffers ?? 0) + (m.SReclaimable ?? 0);
  const used = Math.max(0, total - free - cache);
  const label = 8;
  const barW = Math.max(4, w - label - 18);
  const [u, c, f] = stackedBar(
    [
      { value: used, char: t.ascii ? '#' : '█' },
      { value: cache, char: t.ascii ? '+' : '▒' },
      { value: free, char: t.ascii ? '.' : '░' },
    ],
    total,
    barW,
  );
  const r = p.rec;
  const host = r.host;
  const availPct = (avail / total) * 100;
  const availColor = availPct < 10 ? t.c('bad') : availPct < 25 ? t.c('warn') : t.c('ok');
  const dim = t.c('dim');
  // a line of one colour, fitted to the pane (fit cuts it; nothing for line() to measure again)
  const fitted = (text: string, color?: string) => paint(fit(text, w, 'left', t.ascii), { color });
  const [pressureLine, adviceLine] = pressureLines(r, p.advice, t, fitted);
  const content = [
    line(
      [
        { text: fit('guest', label) },
        { text: u!, color: t.c('guest') },
        { text: c!, color: t.c('accent') },
        { text: f!, color: dim },
        { text: ` ${fmtKiB(total)}` },
      ],
      w,
      { ascii: t.ascii },
    ),
    fitted(`        used ${fmtKiB(used)}  cache ${fmtKiB(cache)}  free ${fmtKiB(free)}  shmem ${fmtKiB(m.Shmem)}`, dim),
    line(
      [
        { text: fit('avail', label) },
        { text: gauge(avail, total, barW, { ascii: t.ascii }), color: availColor },
        { text: ` ${fmtKiB(avail)} ${availPct.toFixed(0)}%` },
      ],
      w,
      { ascii: t.ascii },
    ),
    fitted(
      `hotplug unplugged ${fmtKiB(r.unpluggedKiB)} (umltop ledger)  swap ${fmtKiB((m.SwapTotal ?? 0) - (m.SwapFree ?? 0))}/${fmtKiB(m.SwapTotal)}`,
    ),
    fitted(
      `host    rss ${fmtKiB(host?.rssKiB)}  shmem ${fmtKiB(host?.rssShmemKiB)}  ram file ${fmtKiB(host?.physmemKiB)}`,
    ),
    pressureLine,
    adviceLine,
    fitted(
      `oom kills ${r.guest?.vmstat.oomKill ?? '-'}  faults/s ${r.guest?.vmstat.pgfaultPerSec ?? '-'}  swap in/out ${r.guest?.vmstat.pswpin ?? '-'}/${r.guest?.vmstat.pswpout ?? '-'}`,
      dim,
    ),
  ];
  // Most important first when the pane is short: bar, avail, pressure, advice, host, hotplug.
  const order = h >= content.length ? content : [0, 2, 5, 6, 4, 3, 1, 7].map((i) => content[i]!);
  return (
    <Pane title={title} {...p}>
      <Lines lines={order.slice(0, Math.max(0, h))} />
    </Pane>
  );
}

/** The guest's memory pressure, and the advice for it (its reason said once, on the pressure line). */
function pressureLines(
  r: InstanceRecord,
  a: BalanceDecision | undefined,
  t: Theme,
  fitted: (text: string, color?: string) => string,
): [string, string] {
  const pr = r.guest?.pressure;
  const prColor = pr?.state === 'pressed' ? t.c('bad') : pr?.state === 'tight' ? t.c('warn') : t.c('ok');
  const adviceSaid =
    !a || a.action === 'hold'
      ? `advice  hold${a && !a.reason.startsWith(pr?.state ?? '\0') ? `: ${a.reason}` : ''}`
      : `advice  ${a.kib > 0 ? '+' : '−'}${fmtKiB(Math.abs(a.kib))} (A applies; W: every guest)`;
  return [
    fitted(
      pr ? `pressure ${pr.state}: ${pr.reason}` : 'pressure - (two vmstat readings needed)',
      pr ? prColor : t.c('dim'),
    ),
    fitted(sanitizeLine(adviceSaid), a?.action === 'hold' || !a ? t.c('dim') : t.c('accent')),
  ];
}
