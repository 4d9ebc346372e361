import { Box, Text } from 'ink';
import type { HostTotals } from '../../collectors/host-totals.js';
import type { InstanceState } from '../../state/liveness.js';
import type { Theme } from '../theme.js';
import { fit, fmtKiB, gauge } from '../widgets/charts.js';

export interface HeaderProps {
  width: number;
  host?: HostTotals;
  counts: Partial<Record<InstanceState, number>>;
  orphans: number;
  intervalMs: number;
  clock: string;
  paused: boolean;
  readOnly: boolean;
  theme: Theme;
}

export function Header(p: HeaderProps) {
  const t = p.theme;
  const cpu = p.host?.cpuPercent;
  const memUsed = p.host?.memTotalKiB !== undefined && p.host.memAvailableKiB !== undefined ? p.host.memTotalKiB - p.host.memAvailableKiB : undefined;
  const states = (['running', 'stopped', 'unresponsive', 'dead', 'invalid'] as const)
    .filter((s) => p.counts[s]).map((s) => `${p.counts[s]} ${s === 'unresponsive' ? 'unresp' : s}`).join(' ');
  const total = Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0);
  const right = `${p.paused ? 'PAUSED ' : ''}${p.readOnly ? 'READ-ONLY ' : ''}${p.intervalMs / 1000}s ${p.clock}`;
  const left = `umltop cpu ${cpu === undefined ? '?' : cpu.toFixed(0).padStart(3)}% `;
  const wide = p.width >= 100;
  const g = wide ? gauge(cpu, 100, 8, { ascii: t.ascii }) : '';
  const load = p.host?.load.map((l) => l.toFixed(wide ? 2 : 1)).join(' ') ?? '?';
  const mid = ` mem ${fmtKiB(memUsed)}/${fmtKiB(p.host?.memTotalKiB)} ld ${load} │ ${total} inst${states ? `: ${states}` : ''}${p.orphans ? ` +${p.orphans} orphan` : ''}`.replace('│', t.ascii ? '|' : '│');
  const room = p.width - left.length - g.length - right.length - 1;
  return (
    <Box width={p.width} height={1}>
      <Text wrap="truncate">
        <Text bold color={t.c('title')}>{left}</Text>
        <Text color={t.c('host')}>{g}</Text>
        <Text>{fit(mid, Math.max(0, room), 'left', t.ascii)} </Text>
        <Text color={p.paused ? t.c('warn') : t.c('dim')} bold={p.paused}>{right}</Text>
      </Text>
    </Box>
  );
}
