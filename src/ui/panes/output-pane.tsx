// The output pane: a captured reply (sysrq, stack, raw commands), scrollable and searchable.
// The text is guest-originated: sanitized before it gets here.
import { Box, Text } from 'ink';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import type { Output } from '../view-state.js';
import { fit } from '../widgets/charts.js';

export function OutputPane(p: { output: Output; lines: string[]; width: number; height: number; theme: Theme }) {
  const t = p.theme;
  const o = p.output;
  const room = Math.max(0, p.height - 3);
  const shown = p.lines.slice(o.scroll, o.scroll + room);
  const status =
    `${o.complete ? 'complete' : 'INCOMPLETE'} ${t.dot} lines ${p.lines.length ? o.scroll + 1 : 0}-${Math.min(p.lines.length, o.scroll + room)} of ${p.lines.length}` +
    (o.search ? ` ${t.dot} /${o.search}` : '') +
    (o.note ? ` ${t.dot} ${o.note}` : '');
  const needle = o.search?.toLowerCase();
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle={t.border} borderColor={t.c('accent')}>
      <Text wrap="truncate" bold color={o.complete ? t.c('accent') : t.c('warn')}>
        {fit(`${sanitizeLine(o.title)}  (${status})`, p.width - 2, 'left', t.ascii)}
      </Text>
      {shown.map((l, i) => {
        const hit = needle !== undefined && l.toLowerCase().includes(needle);
        return (
          <Text key={i} wrap="truncate" inverse={hit && t.color} bold={hit}>
            {fit((hit && !t.color ? '>' : '') + l, p.width - 2, 'left', t.ascii)}
          </Text>
        );
      })}
    </Box>
  );
}
