// The help screen, generated from the action table: every key, what it does, where it applies.
import { Box, Text } from 'ink';
import { actionsFor, keyLabel, type Scope } from '../../actions/table.js';
import type { Theme } from '../theme.js';
import { fit } from '../widgets/charts.js';

const SCOPE_TITLES: Record<Scope, string> = { main: 'Main view', filter: 'While typing a filter', prompt: 'In a dialog, typing', dialog: 'In a dialog, answering', output: 'In the output pane', help: 'In this help' };

export function helpLines(readOnly: boolean, ascii = false): Array<{ heading?: string; keys?: string; text?: string }> {
  const out: Array<{ heading?: string; keys?: string; text?: string }> = [];
  for (const scope of ['main', 'filter', 'prompt', 'dialog', 'output', 'help'] as const) {
    out.push({ heading: SCOPE_TITLES[scope] });
    for (const a of actionsFor(scope, { readOnly })) out.push({ keys: a.keys.map((k) => keyLabel(k, ascii)).join(' '), text: a.description });
  }
  return out;
}

export function Help(p: { width: number; height: number; readOnly: boolean; notes: string[]; theme: Theme }) {
  const t = p.theme;
  const lines = helpLines(p.readOnly, t.ascii);
  const keyW = 14;
  const colW = p.width >= 100 ? Math.floor((p.width - 4) / 2) : p.width - 2;
  // inside: borders (2), the title line, the notes
  const perCol = Math.max(1, p.height - 3 - p.notes.length);
  const columns = colW < p.width - 2 ? [lines.slice(0, perCol), lines.slice(perCol, perCol * 2)] : [lines.slice(0, perCol)];
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle={t.border} borderColor={t.c('accent')}>
      <Text bold wrap="truncate">umltop help {t.ascii ? '-' : '—'} keys (Esc or ? to close){p.readOnly ? ' (read-only: write actions hidden)' : ''}</Text>
      <Box flexDirection="row">
        {columns.map((col, ci) => (
          <Box key={ci} flexDirection="column" width={colW}>
            {col.map((l, i) => l.heading
              ? <Text key={i} bold color={t.c('accent')} wrap="truncate">{l.heading}</Text>
              : <Text key={i} wrap="truncate"><Text bold>{fit(l.keys!, keyW, 'left', t.ascii)}</Text>{fit(l.text!, colW - keyW, 'left', t.ascii)}</Text>)}
          </Box>
        ))}
      </Box>
      {p.notes.map((n, i) => <Text key={`n${i}`} color={t.c('dim')} wrap="truncate">{n}</Text>)}
    </Box>
  );
}
