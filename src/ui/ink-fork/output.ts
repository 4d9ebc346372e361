// Replaces ink 6.8.0 build/output.js (swapped in by scripts/bundle.mjs): the frame builder Ink
// draws into, same interface (constructor({width, height}), write, clip, unclip, get), same cells.
// Why: Ink's turns every write into per-character tokens and measures each character, most of a
// frame's cost (README, Dependencies); this one keeps a row of cells per line, reads SGR with a
// cached style transition, measures only non-ASCII, and keeps the last frame's cells for the cell
// diff (cell-diff.ts), which then need not parse the text back.
// Differs from upstream: text beyond the frame's width is dropped (Ink lets a row grow past it;
// the terminal would wrap it); a zero-width character joins the cell before it; a wide character
// half overwritten or cut by a clip leaves a blank and the rest of the row in place (Ink's shifts
// left one column); a transformer sees a line before the horizontal clip (umltop's only colour).
// On an Ink upgrade, re-check: renderer.js and render-node-to-output.js still construct and call
// Output this way; test/ui/ink-fork/output.test.ts compares both on random frames.
import stringWidth from 'string-width';

import { BLANK, cellOf, escapeAt, nextStyle, rowText, type Cell } from './sgr.js';

type Transformer = (line: string, index: number) => string;
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

let last: { text: string; rows: Cell[][] } | undefined;

/** The cells of the last frame built here, when `text` is that frame (as Ink writes it, maybe with a final newline). */
export function builtRows(text: string): Cell[][] | undefined {
  if (!last) return undefined;
  const t = last.text;
  if (text.length !== t.length && text.length !== t.length + 1) return undefined;
  if (text.length === t.length + 1 && text[text.length - 1] !== '\n') return undefined;
  return text.startsWith(t) ? last.rows : undefined;
}

/**
 * Put one line's characters into `row` from column `x`, keeping only columns in [from, to).
 * Each line starts unstyled, or in `carry.style` (then left there with the style at its end).
 * Returns how many wide characters it broke: one half overwritten (the other half becomes a blank,
 * so no cell is left pointing at a character that is not there) or cut by the clip (left out).
 */
export function putLine(
  row: Cell[],
  x: number,
  line: string,
  from: number,
  to: number,
  carry?: { style: string },
): number {
  let broken = 0;
  let style = carry?.style ?? '';
  let col = x;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      const e = escapeAt(line, i);
      if (e.sgr !== undefined) style = nextStyle(style, e.sgr);
      i = e.end;
      continue;
    }
    let ch: string;
    let w: number;
    if (c >= 0x20 && c < 0x7f) {
      ch = line[i]!;
      w = 1;
      i++;
    } else {
      ch = String.fromCodePoint(line.codePointAt(i)!);
      i += ch.length;
      w = stringWidth(ch);
      if (w === 0) {
        // combining: joins the character before it
        const prev = col - 1;
        if (prev >= from && prev < to && row[prev]!.ch !== '') row[prev] = cellOf(row[prev]!.ch + ch, row[prev]!.style);
        continue;
      }
    }
    if (col >= from && col + w <= to) {
      if (row[col]!.ch === '' && col > 0) {
        row[col - 1] = cellOf(' ', row[col - 1]!.style);
        broken++;
      }
      row[col] = cellOf(ch, style);
      if (w === 2) row[col + 1] = cellOf('', style);
      const after = row[col + w];
      if (after?.ch === '') {
        row[col + w] = cellOf(' ', after.style);
        broken++;
      }
    } else if (w === 2 && (col === from - 1 || col === to - 1)) broken++; // cut by the clip: left out
    col += w;
  }
  if (carry) carry.style = style;
  return broken;
}

export default class Output {
  readonly width: number;
  readonly height: number;
  /** Wide characters broken by later writes or cut by a clip in the last get() (where Ink's Output shifts the rest of the row). */
  broken = 0;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (text) this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    const width = this.width;
    const rows: Cell[][] = [];
    for (let y = 0; y < this.height; y++) rows.push(new Array<Cell>(width).fill(BLANK));
    const clips: Clip[] = [];
    this.broken = 0;
    for (const op of this.operations) {
      if (op.type === 'clip') {
        clips.push(op.clip);
        continue;
      }
      if (op.type === 'unclip') {
        clips.pop();
        continue;
      }
      let { y } = op;
      let lines = op.text.split('\n');
      let from = 0;
      let to = width;
      const clip = clips.at(-1);
      if (clip) {
        if (typeof clip.x1 === 'number' && typeof clip.x2 === 'number') {
          from = Math.max(0, clip.x1);
          to = Math.min(width, clip.x2);
        }
        if (typeof clip.y1 === 'number' && typeof clip.y2 === 'number') {
          if (y + lines.length < clip.y1 || y > clip.y2) continue;
          const first = y < clip.y1 ? clip.y1 - y : 0;
          const end = y + lines.length > clip.y2 ? clip.y2 - y : lines.length;
          lines = lines.slice(first, end);
          if (y < clip.y1) y = clip.y1;
        }
      }
      for (let index = 0; index < lines.length; index++) {
        const row = rows[y + index];
        if (!row) continue;
        let line = lines[index]!;
        for (const transform of op.transformers) line = transform(line, index);
        this.broken += putLine(row, op.x, line, from, to);
      }
    }
    const text = rows.map(rowText).join('\n');
    last = { text, rows };
    return { output: text, height: rows.length };
  }
}
