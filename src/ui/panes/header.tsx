import { Box, Text } from 'ink';
import type { HostTotals } from '../../collectors/host-totals.js';
import type { InstanceState } from '../../state/liveness.js';
import type { Theme } from '../theme.js';
import { fit, fmtKiB, gauge } from '../widgets/charts.js';
import { sanitizeLine } from '../../text/sanitize.js';

export interface HeaderProps {
  width: number;
  host?: HostTotals;
  counts: Partial<Record<InstanceState, number>>;
  orphans: number;
  fromProcessTable?: number;
  intervalMs: number;
  clock: string;
  paused: boolean;
  readOnly: boolean;
  pausedByUmltop?: Array<{ umid: string; seconds: number }>;
  remotes?: Array<{ name: string; state: string }>;
  theme: Theme;
}

const SHORT: Record<InstanceState, string> = {
  running: 'run',
  stopped: 'stop',
  unresponsive: 'unresp',
  dead: 'dead',
  invalid: 'inv',
};

export function Header(p: HeaderProps) {
  const t = p.theme;
  const cpu = p.host?.cpuPercent;
  const memUsed =
    p.host?.memTotalKiB !== undefined && p.host.memAvailableKiB !== undefined
      ? p.host.memTotalKiB - p.host.memAvailableKiB
      : undefined;
  const total = Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0);
  const states = (['running', 'stopped', 'unresponsive', 'dead', 'invalid'] as const)
    .filter((s) => p.counts[s])
    .map((s) => `${p.counts[s]} ${SHORT[s]}`)
    .join(' ');
  const bar = t.ascii ? '|' : '│';
  // Pieces by priority: what must stay (name, cpu, instance counts, interval, clock) and what may go.
  const must = {
    name: 'umltop',
    cpu: `cpu ${cpu === undefined ? '?' : cpu.toFixed(0).padStart(3)}%`,
    inst: `${total} inst${p.fromProcessTable ? ` (${p.fromProcessTable} from ps)` : ''}${states ? `: ${states}` : ''}${p.orphans ? ` +${p.orphans} orphan` : ''}${remotesText(p.remotes)}`,
    right: `${pausedBanner(p.pausedByUmltop)}${p.paused ? 'PAUSED ' : ''}${p.readOnly ? 'READ-ONLY ' : ''}${p.intervalMs / 1000}s ${p.clock}`,
  };
  const optional = [
    { key: 'gauge', text: gauge(cpu, 100, 8, { ascii: t.ascii }) },
    { key: 'mem', text: `mem ${fmtKiB(memUsed)}/${fmtKiB(p.host?.memTotalKiB)}` },
    { key: 'load', text: `load ${p.host?.load.map((l) => l.toFixed(2)).join(' ') ?? '?'}` },
  ];
  const used = () =>
    [must.name, must.cpu, must.inst, must.right].join(' ').length + 4 + kept.reduce((n, o) => n + o.text.length + 1, 0);
  const kept = [...optional];
  for (const drop of ['gauge', 'load', 'mem'])
    if (used() > p.width)
      kept.splice(
        kept.findIndex((o) => o.key === drop),
        1,
      );
  const has = (k: string) => kept.find((o) => o.key === k)?.text;
  const left = `${must.name} ${must.cpu} `;
  const mid = `${has('mem') ? ` ${has('mem')}` : ''}${has('load') ? ` ${has('load')}` : ''} ${bar} ${must.inst}`;
  const room = Math.max(0, p.width - left.length - (has('gauge')?.length ?? 0) - must.right.length - 1);
  return (
    <Box width={p.width} height={1}>
      <Text wrap="truncate">
        <Text bold color={t.c('title')}>
          {left}
        </Text>
        {has('gauge') ? <Text color={t.c('host')}>{has('gauge')}</Text> : null}
        <Text>{fit(mid, room, 'left', t.ascii)} </Text>
        <Text color={p.paused ? t.c('warn') : t.c('dim')} bold={p.paused}>
          {must.right}
        </Text>
      </Text>
    </Box>
  );
}

/** " | hosts 2/3 LOST hostB": other hosts, the lost ones by name. */
function remotesText(list: Array<{ name: string; state: string }> | undefined): string {
  if (!list?.length) return '';
  const up = list.filter((r) => r.state === 'up').length;
  const lost = list.filter((r) => r.state === 'lost').map((r) => sanitizeLine(r.name));
  return ` | hosts ${up + 1}/${list.length + 1} up${lost.length ? ` LOST ${lost.join(',')}` : ''}`;
}

/** "umltop paused vm1 12s" for instances this umltop stopped (it will say so on exit, too). */
function pausedBanner(list: Array<{ umid: string; seconds: number }> | undefined): string {
  if (!list?.length) return '';
  const first = list[0]!;
  return `umltop paused ${first.umid} ${first.seconds}s${list.length > 1 ? ` +${list.length - 1}` : ''} `;
}
