// The help screen, generated from the action table: every key, what it does, where it applies.
import { Box, Text } from 'ink';
import type { Scope } from '../keys/action.js';
import { keyLabel } from '../keys/keymap.js';
import type { Keymap } from '../keys/keymap.js';
import type { Theme } from '../theme.js';
import { fit } from '../widgets/charts.js';

const SCOPE_TITLES: Record<Scope, string> = {
  main: 'Main view',
  filter: 'While typing a filter',
  prompt: 'In a dialog, typing',
  dialog: 'In a dialog, answering',
  output: 'In the output pane',
  help: 'In this help',
};

export function helpLines(keymap: Keymap, ascii = false): Array<{ heading?: string; keys?: string; text?: string }> {
  const out: Array<{ heading?: string; keys?: string; text?: string }> = [];
  for (const scope of ['main', 'filter', 'prompt', 'dialog', 'output', 'help'] as const) {
    out.push({ heading: SCOPE_TITLES[scope] });
    for (const a of keymap.actionsFor(scope))
      out.push({ keys: a.keys.map((k) => keyLabel(k, ascii)).join(' '), text: a.description });
  }
  return out;
}

export function helpLayout(width: number, height: number, notes: number, keymap: Keymap, ascii: boolean) {
  const lines = helpLines(keymap, ascii);
  const cols = width >= 80 ? 2 : 1;
  const perCol = Math.max(1, height - 4 - notes);
  return { lines, cols, perCol, overflow: Math.max(0, Math.ceil(lines.length / cols) - perCol) };
}

export function Help(p: {
  width: number;
  height: number;
  keymap: Keymap;
  notes: string[];
  scroll?: number;
  theme: Theme;
}) {
  const t = p.theme;
  // inside: borders (2), the title line, the position line, the notes; columns flow top to bottom
  const { lines, cols, perCol, overflow } = helpLayout(p.width, p.height, p.notes.length, p.keymap, t.ascii);
  const keyW = p.width >= 100 ? 14 : 11;
  const colW = Math.floor((p.width - 2) / cols);
  const scroll = Math.min(p.scroll ?? 0, overflow);
  const rows = Math.ceil(lines.length / cols);
  const columns = Array.from({ length: cols }, (_, c) =>
    lines.slice(c * rows, (c + 1) * rows).slice(scroll, scroll + perCol),
  );
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle={t.border} borderColor={t.c('accent')}>
      <Text bold wrap="truncate">
        umltop help {t.ascii ? '-' : '—'} keys (Esc or ? to close)
        {p.keymap.readOnly ? ' (read-only: write actions hidden)' : ''}
      </Text>
      <Box flexDirection="row">
        {columns.map((col, ci) => (
          <Box key={ci} flexDirection="column" width={colW}>
            {col.map((l, i) =>
              l.heading ? (
                <Text key={i} bold color={t.c('accent')} wrap="truncate">
                  {l.heading}
                </Text>
              ) : (
                <Text key={i} wrap="truncate">
                  <Text bold>{fit(l.keys!, keyW, 'left', t.ascii)}</Text>
                  {fit(l.text!, colW - keyW, 'left', t.ascii)}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
      <Text color={t.c('dim')} wrap="truncate">
        {overflow
          ? `lines ${scroll + 1}-${scroll + perCol} of ${rows} ${t.dot} ${t.ascii ? 'Up/Down' : '↑/↓'} PgUp/PgDn scroll`
          : ''}
      </Text>
      {p.notes.map((n, i) => (
        <Text key={`n${i}`} color={t.c('dim')} wrap="truncate">
          {n}
        </Text>
      ))}
    </Box>
  );
}
