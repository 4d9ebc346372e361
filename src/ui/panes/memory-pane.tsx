// Memory pane: the guest's meminfo as bars, its hotplug state, and what it costs the host.
import { Text } from 'ink';
import type { InstanceRecord } from '../../state/records.js';
import type { Theme } from '../theme.js';
import { fit, fmtKiB, gauge, stackedBar } from '../widgets/charts.js';
import { line, paint } from '../ink-fork/paint.js';
import { inner, Lines, Pane } from './frame.js';

export function MemoryPane(p: { rec?: InstanceRecord; width: number; height: number; focused: boolean; theme: Theme }) {
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
    fitted(
      `oom kills ${r.guest?.vmstat.oomKill ?? '-'}  faults/s ${r.guest?.vmstat.pgfaultPerSec ?? '-'}  swap in/out ${r.guest?.vmstat.pswpin ?? '-'}/${r.guest?.vmstat.pswpout ?? '-'}`,
      dim,
    ),
  ];
  // Most important first when the pane is short: bar, avail, host, hotplug.
  const order =
    h >= content.length ? content : [content[0]!, content[2]!, content[4]!, content[3]!, content[1]!, content[5]!];
  return (
    <Pane title={title} {...p}>
      <Lines lines={order.slice(0, Math.max(0, h))} />
    </Pane>
  );
}
