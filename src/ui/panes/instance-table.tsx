import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';
import { columnsFor, SORT_COLUMN, tableStart, type Column, type Row } from '../view-model.js';
import type { SortKey } from '../view-state.js';
import { fit } from '../widgets/charts.js';
import { line } from '../ink-fork/paint.js';
import { Lines } from './frame.js';

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
  const cols = columnsFor(p.width, anyHost(p.rows));
  const visible = Math.max(0, p.height - 1);
  const sel = Math.max(0, indexOfKey(p.rows, p.selectedKey));
  const start = tableStart(p.rows.length, sel, visible);
  const shown = p.rows.slice(start, start + visible);
  const arrow = p.reverse ? (t.ascii ? '^' : '▲') : t.ascii ? 'v' : '▼';
  const sorted = SORT_COLUMN[p.sort];
  const title =
    '   ' +
    cols
      .map((c) => {
        const label = c.id === sorted ? (c.align === 'right' ? arrow + c.title : c.title + arrow) : c.title;
        return fit(label, c.width, c.align, t.ascii);
      })
      .join(' ');
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Text wrap="truncate" bold color={p.focused ? t.c('accent') : undefined}>
        {fit(title, p.width, 'left', t.ascii)}
      </Text>
      {shown.length === 0 ? (
        <Text color={t.c('dim')} wrap="truncate">
          {' '}
          no instances{p.rows.length === 0 ? ' found in the watched uml dirs' : ''}
        </Text>
      ) : null}
      <Lines
        lines={shown.map((r) => {
          const selected = r.key === p.selectedKey;
          return line(
            [
              { text: selected ? t.selectMark : ' ', bold: true },
              { text: r.alert, color: r.alert.trim() ? t.c('bad') : undefined, bold: true },
              { text: ' ' },
              ...cellRuns(r, cols, t),
            ],
            p.width,
            { ascii: t.ascii, whole: { inverse: selected && t.color, dim: r.stale && r.state === 'running' } },
          );
        })}
      />
    </Box>
  );
}

/**
 * A row's cells as runs of one colour (only the state column has its own), painted into the
 * row's line: a span per run, not per cell.
 */
export function cellRuns(r: Row, cols: Column[], t: Theme): Array<{ text: string; color?: string }> {
  const runs: Array<{ text: string; color?: string }> = [];
  cols.forEach((c, i) => {
    const color = c.id === 'state' ? t.state(r.state) : undefined;
    const text = fit(r.cells[c.id], c.width, c.align, t.ascii) + (i < cols.length - 1 ? ' ' : '');
    const last = runs.at(-1);
    if (last && last.color === color) last.text += text;
    else runs.push({ text, color });
  });
  return runs;
}

// loops, not some/findIndex: per-call closures are compiled again after each full GC (CONTRIBUTING.md)

function anyHost(rows: Row[]): boolean {
  for (const r of rows) if (r.cells.host !== '') return true;
  return false;
}

function indexOfKey(rows: Row[], key: string | undefined): number {
  for (let i = 0; i < rows.length; i++) if (rows[i]!.key === key) return i;
  return -1;
}
