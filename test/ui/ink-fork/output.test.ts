// The replacements for Ink's Output and measureText (bundled in place of Ink's) and the vendored
// string-width's fast path: checked against the originals they stand in for, on the same inputs.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import stringWidthImpl from 'string-width-impl';
import Output, { builtRows } from '../../../src/ui/ink-fork/output.js';
import measureText, { measuredCount } from '../../../src/ui/ink-fork/measure-text.js';
import { parseFrame } from '../../../src/ui/ink-fork/cell-diff.js';
import type { Cell } from '../../../src/ui/ink-fork/sgr.js';

const inkBuild = path.resolve(import.meta.dirname, '../../../node_modules/ink/build');
type OutputLike = {
  write(x: number, y: number, t: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
  clip(c: object): void;
  unclip(): void;
  get(): { output: string; height: number };
};
const InkOutput = (await import(pathToFileURL(path.join(inkBuild, 'output.js')).href)).default as new (o: {
  width: number;
  height: number;
}) => OutputLike;
const chalk = new Chalk({ level: 3 });

/** A seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// What panes draw: plain and coloured ASCII, borders, bars, braille charts, wide characters.
const pieces = ['umid', ' 12.5 ', 'running', '─┬─', '│', '╭──╮', '▉▊▋░', '⣀⣤⣶⣿', '…', '→', '漢字', '°C', ''];
const styles = [
  (s: string) => s,
  chalk.cyan,
  chalk.bold,
  chalk.dim.red,
  chalk.inverse,
  chalk.bgBlue.white,
  chalk.hex('#ff8800'),
  chalk.underline.green,
];

function randomText(r: () => number): string {
  const lines: string[] = [];
  for (let l = 0, n = 1 + Math.floor(r() * 3); l < n; l++) {
    let line = '';
    for (let k = 0, m = 1 + Math.floor(r() * 6); k < m; k++) {
      line += styles[Math.floor(r() * styles.length)]!(pieces[Math.floor(r() * pieces.length)]!);
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** Both outputs as cells, `width` columns each (a missing cell is a default blank). */
function cells(text: string, width: number, height: number): string[] {
  const rows = parseFrame(text);
  return Array.from({ length: height }, (_, r) =>
    Array.from({ length: width }, (_, c) => {
      const cell: Cell | undefined = rows[r]?.[c];
      return cell ? `${cell.ch}\u0000${cell.style}` : ' \u0000';
    }).join('\u0001'),
  );
}

describe("umltop's Output for Ink", () => {
  it("builds the same cells as Ink's own Output for 300 random frames (writes, nested clips, colours, wide characters)", () => {
    let compared = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const width = 20 + Math.floor(r() * 40);
      const height = 3 + Math.floor(r() * 8);
      const ours = new Output({ width, height });
      const ink = new InkOutput({ width, height });
      let depth = 0;
      for (let k = 0, ops = 3 + Math.floor(r() * 12); k < ops; k++) {
        const roll = r();
        if (roll < 0.15) {
          const x1 = Math.floor((r() * width) / 2);
          const y1 = Math.floor((r() * height) / 2);
          const clip = {
            x1,
            x2: x1 + 1 + Math.floor((r() * width) / 2),
            y1,
            y2: y1 + 1 + Math.floor((r() * height) / 2),
          };
          ours.clip(clip);
          ink.clip(clip);
          depth++;
        } else if (roll < 0.22 && depth > 0) {
          ours.unclip();
          ink.unclip();
          depth--;
        } else {
          // keep text inside the frame's width: Ink lets an overlong row grow, umltop drops the excess
          const x = Math.floor((r() * width) / 3);
          const y = Math.floor(r() * height);
          let text = randomText(r);
          text = text
            .split('\n')
            .map((l) => (stringWidthImpl(l) + x > width ? chalk.red('x') : l))
            .join('\n');
          const transformers = r() < 0.3 ? [(s: string) => chalk.yellow(s)] : [];
          ours.write(x, y, text, { transformers });
          ink.write(x, y, text, { transformers });
        }
      }
      const a = ours.get();
      const b = ink.get();
      expect(a.height, `seed ${seed}`).toBe(b.height);
      if (ours.broken === 0) {
        // else Ink's row shifts (see ink-fork/output.ts); checked below instead
        expect(cells(a.output, width, height), `seed ${seed}`).toEqual(cells(b.output, width, height));
        compared++;
      }
      for (const row of builtRows(a.output)!) {
        row.forEach((c, i) => {
          if (c.ch === '') expect(stringWidthImpl(row[i - 1]!.ch), `seed ${seed}`).toBe(2);
        });
      }
      // the cell diff gets these very cells without parsing the text back
      expect(cells(a.output, width, height), `seed ${seed}`).toEqual(
        Array.from({ length: height }, (_, row) =>
          builtRows(a.output)!
            [row]!.map((c) => `${c.ch}\u0000${c.style}`)
            .join('\u0001'),
        ),
      );
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('hands its cells to the cell diff only for the frame it built (Ink adds a final newline)', () => {
    const out = new Output({ width: 10, height: 2 });
    out.write(0, 0, chalk.cyan('abc'), { transformers: [] });
    const { output } = out.get();
    expect(builtRows(output)).toBeDefined();
    expect(builtRows(`${output}\n`)).toBe(builtRows(output));
    expect(builtRows(`${output}x`)).toBeUndefined();
    expect(builtRows(output.replace('abc', 'abd'))).toBeUndefined();
    expect(
      builtRows(output)![0]!
        .slice(0, 4)
        .map((c) => `${c.ch}:${c.style}`),
    ).toEqual(['a:36', 'b:36', 'c:36', ' :']);
  });

  it('drops what falls beyond the frame, a combining mark joins the character before it, a broken wide character leaves a blank', () => {
    const out = new Output({ width: 8, height: 1 });
    out.write(3, 0, 'abcdefgh', { transformers: [] });
    out.write(0, 0, 'e\u0301', { transformers: [] });
    out.write(4, 0, '漢字', { transformers: [] });
    out.write(5, 0, 'X', { transformers: [] });
    const rows = builtRows(out.get().output)!;
    expect(rows[0]!.map((c) => c.ch)).toEqual(['e\u0301', ' ', ' ', 'a', ' ', 'X', '字', '']);
    expect(out.broken).toBe(1);
    const clipped = new Output({ width: 8, height: 1 });
    clipped.clip({ x1: 1, x2: 8, y1: 0, y2: 1 });
    clipped.write(0, 0, '漢ab', { transformers: [] }); // the clip cuts 漢: a and b stay where they were
    expect(
      builtRows(clipped.get().output)![0]!
        .map((c) => c.ch)
        .join(''),
    ).toBe('  ab    ');
    expect(clipped.broken).toBe(1);
  });
});

describe('string-width fast path and the bounded measureText', () => {
  it("gives string-width's answer for every code point it counts itself, and for mixed text", () => {
    const ranges: [number, number][] = [
      [0x20, 0x7e],
      [0xa1, 0xff],
      [0x2010, 0x2027],
      [0x2190, 0x21ff],
      [0x2500, 0x25ff],
      [0x2800, 0x28ff],
      [0x3000, 0x3010],
      [0x300, 0x310],
    ];
    for (const [a, b] of ranges) {
      for (let c = a; c <= b; c++) {
        const ch = String.fromCodePoint(c);
        expect(stringWidth(ch), `U+${c.toString(16)}`).toBe(stringWidthImpl(ch));
        expect(stringWidth(`ab${ch}${chalk.cyan(ch)}\u001b]8;;x\u0007`), `U+${c.toString(16)} in text`).toBe(
          stringWidthImpl(`ab${ch}${chalk.cyan(ch)}\u001b]8;;x\u0007`),
        );
      }
    }
    for (const s of ['👍🏽 ok', 'e\u0301', '漢字 cpu', chalk.bold('│ 12% ▉'), '\u001b[38;2;1;2;3mx\u001b[0m'])
      expect(stringWidth(s), s).toBe(stringWidthImpl(s));
  });

  it('measures as Ink does (widest line, line count) and forgets when full', () => {
    expect(measureText('ab\n漢字x\n')).toEqual({ width: 5, height: 3 });
    expect(measureText('')).toEqual({ width: 0, height: 0 });
    for (let i = 0; i < 10_000; i++) measureText(`cpu ${i}%`);
    expect(measuredCount()).toBeLessThanOrEqual(4096);
    expect(measureText(chalk.red('cpu 9999%'))).toEqual({ width: 9, height: 1 });
  });
});
