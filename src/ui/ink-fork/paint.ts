// Painted lines: styled spans as one string with SGR sequences, which a pane draws as one <Text>
// per line (panes/frame.tsx, Lines) instead of a nested <Text> per colour run: far fewer nodes for
// React and Ink each frame. Pure.
// Mirrors ink 6.8.0 build/colorize.js (not exported, so copied: a colour name, #hex, ansi256(),
// rgb() through chalk) and Text's wrap="truncate" (the ellipsis takes the last kept character's
// style), so --no-color, the palette and the colour level behave as with Ink's own <Text>.
// On an Ink upgrade, re-check: colorize.js and Text's truncate; test/ui/ink-fork/paint.test.tsx
// compares this with Ink's nested <Text> cell by cell.
import chalk from 'chalk';
import stringWidth from 'string-width';
import { cutToColumns } from '../../text/columns.js';

export interface Style {
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}
export interface Span extends Style {
  text: string;
}

const RGB = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/;
const ANSI256 = /^ansi256\(\s?(\d+)\s?\)$/;

/** A colour as Ink's `color` prop takes it: a chalk name, '#rrggbb', 'ansi256(n)' or 'rgb(r,g,b)'. */
function colour(text: string, color: string): string {
  if (color in chalk) {
    const named = (chalk as unknown as Record<string, unknown>)[color];
    if (typeof named === 'function') return (named as (s: string) => string)(text);
  }
  if (color.startsWith('#')) return chalk.hex(color)(text);
  const a = ANSI256.exec(color);
  if (a) return chalk.ansi256(Number(a[1]))(text);
  const r = RGB.exec(color);
  if (r) return chalk.rgb(Number(r[1]), Number(r[2]), Number(r[3]))(text);
  return text;
}

/** `text` in a style, as an Ink <Text> with these props would draw it. */
export function paint(text: string, s: Style): string {
  if (!text) return text;
  let out = text;
  if (s.dim) out = chalk.dim(out);
  if (s.color) out = colour(out, s.color);
  if (s.bold) out = chalk.bold(out);
  if (s.inverse) out = chalk.inverse(out);
  return out;
}

/**
 * Spans as one line of at most `width` columns. A line that runs over is cut to `width - 1`
 * columns and an ellipsis, in the style of the last character kept, as Ink's `wrap="truncate"`
 * does (`~` with --ascii, where Ink's was '…'). `whole` styles the line around its spans (a
 * selected row's inverse).
 */
export function line(spans: Span[], width: number, opts: { ascii?: boolean; whole?: Style } = {}): string {
  if (width <= 0) return '';
  let total = 0;
  for (const s of spans) total += stringWidth(s.text);
  let out: string;
  if (total <= width) {
    out = '';
    for (const s of spans) out += paint(s.text, s);
  } else {
    const kept: Span[] = [];
    let room = width - 1;
    for (const s of spans) {
      const n = stringWidth(s.text);
      if (n <= room) {
        if (n > 0) kept.push(s);
        room -= n;
        continue;
      }
      const cut = cutToColumns(s.text, room).text;
      room = 0;
      if (cut) kept.push({ ...s, text: cut });
      break;
    }
    const ellipsis = opts.ascii ? '~' : '…';
    const last = kept.pop();
    out = '';
    for (const s of kept) out += paint(s.text, s);
    out += last ? paint(last.text + ellipsis, last) : ellipsis;
  }
  return opts.whole ? paint(out, opts.whole) : out;
}
