// The memory hotplug dialog: type an amount, Enter to check it, y to do it; the verified result.
import { Box, Text } from 'ink';
import { fmtMiB } from '../../actions/hotplug.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import type { MemDialog } from '../view-state.js';

export function MemDialogView(p: { dialog: MemDialog; width: number; height: number; unpluggedKiB: number; theme: Theme }) {
  const t = p.theme;
  const d = p.dialog;
  const lines: Array<{ text: string; color?: string; bold?: boolean }> = [
    { text: `Memory hotplug ${t.dot} ${sanitizeLine(d.umid)}   (umltop has unplugged ${fmtMiB(p.unpluggedKiB, false)} from this boot)`, bold: true },
    { text: 'Amount: -N takes memory from the guest and gives it to the host; +N gives back what was taken. N like 64M, 1G, 512K.', color: t.c('dim') },
    { text: `amount> ${d.input}${d.stage === 'input' ? (t.color ? '▏' : '_') : ''}` },
  ];
  if (d.error) lines.push({ text: d.error, color: t.c('bad') });
  if (d.stage === 'planning') lines.push({ text: 'checking…'.replace('…', t.ascii ? '...' : '…') });
  if (d.stage === 'confirm') {
    lines.push({ text: d.message ?? '' });
    if (d.warning) lines.push({ text: `warning: ${d.warning}`, color: t.c('bad'), bold: true });
    lines.push({ text: 'Do it? y = yes, n / Esc = no', bold: true });
  }
  if (d.stage === 'running') lines.push({ text: `working… ${d.progress ?? ''}`.replace('…', t.ascii ? '...' : '…') });
  if (d.stage === 'done') {
    lines.push({ text: d.message ?? '', color: d.error ? t.c('bad') : t.c('ok'), bold: true });
    lines.push({ text: 'Esc closes', color: t.c('dim') });
  }
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle={t.border} borderColor={t.c('warn')}>
      {lines.slice(0, Math.max(0, p.height - 2)).map((l, i) => <Text key={i} wrap="wrap" color={l.color} bold={l.bold}>{l.text}</Text>)}
    </Box>
  );
}
