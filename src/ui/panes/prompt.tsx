// Every dialog: memory hotplug, the mconsole command line, the sysrq menu, typed confirmations,
// the shutdown ladder, the disks and the console switch. Pure rendering of a Prompt.
import { Box, Text } from 'ink';
import { LADDER, SYSRQ } from '../../actions/commands.js';
import { fmtMiB } from '../../actions/hotplug.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import type { Prompt } from '../dialogs/types.js';
import { fit } from '../widgets/charts.js';

interface Line {
  text: string;
  color?: string;
  bold?: boolean;
}

/** What every dialog's lines are drawn with. */
interface Draw {
  t: Theme;
  umid: string;
  ell: string;
  /** The text field with what was typed (and a cursor while typing). */
  field(label: string): Line;
}

export function promptLines(d: Prompt, t: Theme, width: number, unpluggedKiB: number): Line[] {
  const cursor = t.color ? '▏' : '_';
  const draw: Draw = {
    t,
    umid: sanitizeLine(d.umid),
    ell: t.ascii ? '...' : '…',
    field: (label) => ({ text: `${label}${d.input}${d.stage === 'input' || d.stage === 'typed' ? cursor : ''}` }),
  };
  return [...kindLines(d, draw, width, unpluggedKiB), ...stageLines(d, draw, width)];
}

function kindLines(d: Prompt, w: Draw, width: number, unpluggedKiB: number): Line[] {
  const { t, umid } = w;
  switch (d.kind) {
    case 'mem':
      return [
        {
          text: `Memory hotplug ${t.dot} ${umid}   (umltop has unplugged ${fmtMiB(unpluggedKiB, false)} from this boot)`,
          bold: true,
        },
        {
          text: '-N takes memory from the guest and gives it to the host; +N gives back what was taken. N like 64M, 1G, 512K. Enter checks, y does it.',
          color: t.c('dim'),
        },
        w.field('amount> '),
      ];
    case 'command':
      return [
        {
          text: `mconsole ${t.dot} ${umid}   (${t.ascii ? 'Up/Down' : '↑/↓'} history; reads run at once, writes are journaled, dangerous ones need the umid typed)`,
          bold: true,
        },
        {
          text: 'e.g. proc meminfo · proc interrupts · stack 1 · log TEXT · config ubd1=FILE · remove ubd1 · version · help'.replace(
            /\u00b7/g,
            t.dot,
          ),
          color: t.c('dim'),
        },
        ...(d.stage === 'input' || d.stage === 'running' ? [w.field(`${umid}> `)] : []),
      ];
    case 'sysrq':
      return sysrqLines(d, w, width);
    case 'confirm':
      if (d.stage !== 'confirm') return [];
      return [{ text: `${confirmQuestion(d.command, umid)}?  y = yes, n = no`, bold: true }];
    case 'ladder':
      return [
        {
          text: `Shutdown ladder ${t.dot} ${umid}   gentlest first; each step is checked before the next is offered`,
          bold: true,
        },
        ...LADDER.map((s, i) => {
          const done = i < d.step;
          const mark = done ? (t.ascii ? 'x' : '✓') : i === d.step && d.stage !== 'done' ? (t.ascii ? '>' : '→') : ' ';
          return { text: `${mark} ${i + 1}. ${s.what}`, color: done ? t.c('dim') : undefined };
        }),
        ...d.log.map((l) => ({ text: `  ${l}`, color: t.c('warn') })),
      ];
    case 'disk':
      return [
        {
          text: `Disks ${t.dot} ${umid}   checked before anything is written, verified in the guest's diskstats after`,
          bold: true,
        },
        {
          text: 'add ubdN FILE (ro: read-only) · remove ubdN   Enter checks, y does it'.replace(/\u00b7/g, t.dot),
          color: t.c('dim'),
        },
        ...(d.disks ?? [`asking the guest${w.ell}`]).map((l) => ({ text: `  ${sanitizeLine(l)}` })),
        ...(d.stage === 'input' || d.stage === 'planning' ? [w.field('disk> ')] : []),
      ];
    case 'switch':
      return [
        { text: `Console ${t.dot} ${umid}   no line is on a pts the guest opened`, bold: true },
        ...d.lines.split('\n').map((l) => ({ text: sanitizeLine(l), color: t.c('dim') })),
        ...(d.stage === 'confirm'
          ? [
              {
                text: `Switch ${d.line} (now ${sanitizeLine(d.channel)}) to a pts (config ${d.line}=pts, journaled)?  y = yes, n = no`,
                bold: true,
              },
            ]
          : []),
      ];
    case 'search':
      return [];
  }
}

function confirmQuestion(command: string, umid: string): string {
  if (command === 'stop') return `Pause ${umid} (mconsole 'stop': the guest freezes, mconsole still answers)`;
  if (command === 'go') return `Resume ${umid} (mconsole 'go')`;
  return `${command} ${umid}`;
}

function sysrqLines(d: Extract<Prompt, { kind: 'sysrq' }>, w: Draw, width: number): Line[] {
  const { t, umid } = w;
  const out: Line[] = [
    {
      text: `sysrq ${t.dot} ${umid}   type a letter and Enter (! = needs the umid typed; output is captured into a pane)`,
      bold: true,
    },
    {
      text: d.letters
        ? `the letters this guest kernel supports:`
        : `asking the guest which letters it supports${w.ell} (meanwhile: Linux's usual letters)`,
      color: t.c('dim'),
    },
  ];
  const colW = Math.max(30, Math.floor((width - 2) / 2));
  const cells = (d.letters ?? SYSRQ).map((s) =>
    fit(`${s.risk === 'dangerous' ? '!' : ' '}${s.letter}  ${s.description}`, colW - 1, 'left', t.ascii),
  );
  for (let i = 0; i < cells.length; i += 2) out.push({ text: `${cells[i]} ${cells[i + 1] ?? ''}` });
  if (d.stage === 'input' || d.stage === 'running') out.push(w.field('letter> '));
  return out;
}

/** What the dialog's stage adds: the umid to type, errors, progress, the result. */
function stageLines(d: Prompt, w: Draw, width: number): Line[] {
  const { t } = w;
  const out: Line[] = [];
  if (d.stage === 'typed') {
    const what = d.kind === 'ladder' ? `step ${d.step + 1}: ${LADDER[d.step]?.step}` : `'${d.command}'`;
    out.push({
      text: `Type the umid (${w.umid}) and Enter to run ${what}; Esc cancels.`,
      bold: true,
      color: t.c('warn'),
    });
    out.push(w.field('umid> '));
  }
  if (d.error) out.push({ text: d.error, color: t.c('bad') });
  if (d.stage === 'planning') out.push({ text: `checking${w.ell}` });
  if (d.stage === 'confirm' && (d.kind === 'mem' || d.kind === 'disk')) {
    out.push({ text: d.message });
    if (d.kind === 'mem' && d.warning) out.push({ text: `warning: ${d.warning}`, color: t.c('bad'), bold: true });
    out.push({ text: 'Do it? y = yes, n / Esc = no', bold: true });
  }
  if (d.stage === 'running') out.push({ text: `working${w.ell} ${(d.kind === 'mem' && d.progress) || ''}` });
  if (d.stage === 'done') {
    for (const text of wrapWords(d.message, Math.max(20, width - 2)))
      out.push({ text, color: d.error ? t.c('bad') : t.c('ok'), bold: true });
    out.push({ text: 'Enter or Esc closes', color: t.c('dim') });
  }
  return out;
}

/** A result too long for one row, over several (at spaces where it can). */
function wrapWords(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    if (row && row.length + 1 + word.length > width) {
      rows.push(row);
      row = word;
    } else row = row ? `${row} ${word}` : word;
    while (row.length > width) {
      rows.push(row.slice(0, width));
      row = row.slice(width);
    }
  }
  return [...rows, row];
}

export function PromptView(p: { prompt: Prompt; width: number; height: number; unpluggedKiB: number; theme: Theme }) {
  const t = p.theme;
  const lines = promptLines(p.prompt, t, p.width, p.unpluggedKiB);
  const room = Math.max(0, p.height - 2);
  // Keep the end (the field, errors, results) when it does not all fit.
  const shown = lines.length > room ? [...lines.slice(0, 1), ...lines.slice(lines.length - room + 1)] : lines;
  return (
    <Box flexDirection="column" width={p.width} height={p.height} borderStyle={t.border} borderColor={t.c('warn')}>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" color={l.color} bold={l.bold}>
          {fit(l.text, p.width - 2, 'left', t.ascii)}
        </Text>
      ))}
    </Box>
  );
}
