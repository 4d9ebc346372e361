import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';
import { columnsFor, SORT_COLUMN, type Row } from '../view-model.js';
import type { SortKey } from '../view-state.js';
import { fit } from '../widgets/charts.js';

export interface InstanceTableProps {
  rows: Row[];
  selectedKey?: string;
  width: number;
  height: number;
  focused: boolean;
  sort: SortKey;
  reverse: boolean;
  theme: Theme;
}

/** Title row + as many rows as fit, scrolled so the selection stays visible. */
export function InstanceTable(p: InstanceTableProps) {
  const t = p.theme;
  const cols = columnsFor(p.width, p.rows.some((r) => r.cells.host !== ''));
  const visible = Math.max(0, p.height - 1);
  const sel = Math.max(0, p.rows.findIndex((r) => r.key === p.selectedKey));
  const start = Math.min(Math.max(0, sel - visible + 1), Math.max(0, p.rows.length - visible));
  const shown = p.rows.slice(start, start + visible);
  const arrow = p.reverse ? (t.ascii ? '^' : '▲') : (t.ascii ? 'v' : '▼');
  const sorted = SORT_COLUMN[p.sort];
  const title = '   ' + cols.map((c) => {
    const label = c.id === sorted ? (c.align === 'right' ? arrow + c.title : c.title + arrow) : c.title;
    return fit(label, c.width, c.align, t.ascii);
  }).join(' ');
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Text wrap="truncate" bold color={p.focused ? t.c('accent') : undefined}>{fit(title, p.width, 'left', t.ascii)}</Text>
      {shown.length === 0 ? <Text color={t.c('dim')} wrap="truncate">  no instances{p.rows.length === 0 ? ' found in the watched uml dirs' : ''}</Text> : null}
      {shown.map((r) => {
        const selected = r.key === p.selectedKey;
        return (
          <Text key={r.key} wrap="truncate" inverse={selected && t.color} dimColor={r.stale && r.state === 'running'}>
            <Text bold>{selected ? t.selectMark : ' '}</Text>
            <Text color={r.alert.trim() ? t.c('bad') : undefined} bold>{r.alert}</Text>
            {' '}
            {cols.map((c, i) => (
              <Text key={c.id} color={c.id === 'state' ? t.state(r.state) : undefined}>
                {fit(r.cells[c.id], c.width, c.align, t.ascii)}{i < cols.length - 1 ? ' ' : ''}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
