// Cell-level output (no upstream file: it wraps the stream Ink writes to). Ink hands over each
// frame whole; this keeps a model of the screen and writes only the cells that changed, each run
// with one cursor move, as curses does for htop. Ink's own incremental mode rewrote every changed
// line: 4.6x the bytes (docs/ink.md), and on 6.8.0 it draws some frames a row off. Pure (frame text
// in, escape sequences out) apart from the stream wrapper at the bottom.
// On an Ink upgrade, re-check: Ink still writes one whole frame per write (with incrementalRendering
// off), anything else it writes (6.8's synchronized-output marks) carries no newline, and clear()
// still writes through the same stream.
import stringWidth from 'string-width';

import { BLANK, type Cell } from './sgr.js';
import { builtRows, putLine } from './output.js';

/** Frame text (lines with SGR sequences) → rows of cells, as the frame builder makes them. Other escape sequences are dropped. */
export function parseFrame(text: string): Cell[][] {
  const rows: Cell[][] = [];
  const carry = { style: '' }; // a style left open runs on into the next line
  for (const line of text.split('\n')) {
    const row = new Array<Cell>(stringWidth(line)).fill(BLANK);
    putLine(row, 0, line, 0, row.length, carry);
    rows.push(row);
  }
  if (rows.length && rows[rows.length - 1]!.length === 0) rows.pop(); // the frame's final newline
  return rows;
}

function usedLength(row: readonly Cell[]): number {
  let n = row.length;
  while (n > 0 && row[n - 1]!.ch === ' ' && row[n - 1]!.style === '') n--;
  return n;
}

/**
 * What to write to turn `prev` into `next` on screen (origin at row 1, column 1). Runs of changed
 * cells closer than `gap` cells are joined (rewriting a few cells costs less than a cursor move).
 */
export function diffFrames(prev: Cell[][] | undefined, next: Cell[][], width: number, gap = 4): string {
  let out = '';
  let current = ''; // the style the terminal has now (within this output)
  const setStyle = (key: string) => {
    if (key !== current) {
      out += key ? `\u001b[0;${key}m` : '\u001b[0m';
      current = key;
    }
  };
  const rowCount = Math.max(prev?.length ?? 0, next.length);
  for (let r = 0; r < rowCount; r++) {
    const a = prev?.[r] ?? [];
    const b = next[r] ?? [];
    // on a fresh screen, trailing default blanks are cleared with one erase rather than written
    const bLen = prev ? b.length : usedLength(b);
    const len = Math.min(width, Math.max(a.length, bLen));
    const cellA = (c: number) => (prev ? (a[c] ?? BLANK) : undefined);
    const cellB = (c: number) => b[c] ?? BLANK;
    let c = 0;
    while (c < len) {
      const x = cellA(c);
      const y = cellB(c);
      if (x && x.ch === y.ch && x.style === y.style) {
        c++;
        continue;
      }
      // a changed run: extend while changes keep coming within `gap` cells
      let end = c + 1;
      for (let k = end; k < len && k - end < gap; k++) {
        const p = cellA(k);
        const q = cellB(k);
        if (!p || p.ch !== q.ch || p.style !== q.style) end = k + 1;
      }
      let start = c;
      if (b[start]?.ch === '' && start > 0) start--; // never start in the middle of a wide character
      out += `\u001b[${r + 1};${start + 1}H`;
      for (let k = start; k < end; k++) {
        const cell = cellB(k);
        if (cell.ch === '') continue;
        setStyle(cell.style);
        out += cell.ch;
      }
      c = end;
    }
    // a row that got shorter: clear what is left of it (cells beyond `len` were blank in both)
    if (!prev && bLen < width) {
      setStyle('');
      out += `\u001b[${r + 1};${bLen + 1}H\u001b[K`;
    }
  }
  if (current) out += '\u001b[0m';
  return out;
}

/** The erase-and-redraw that Ink's standard renderer writes before each frame. */
const INK_PREFIX = /^(?:\u001b\[2K|\u001b\[1A|\u001b\[G|\u001b\[2J|\u001b\[3J|\u001b\[H)+/;

/**
 * A stdout for Ink (standard, non-incremental mode): every frame Ink writes goes to the terminal
 * as a cell diff against the last one. Everything else (sizes, events) is the real stream's.
 */
export function cellDiffStdout(real: NodeJS.WriteStream): NodeJS.WriteStream & { reset(): void; repaint(): void } {
  let screen: Cell[][] | undefined;
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    const prefix = INK_PREFIX.exec(text)?.[0] ?? '';
    const body = text.slice(prefix.length);
    if (!prefix && !body.includes('\n')) return real.write(chunk, cb as never); // not a frame
    if (/\u001b\[2J/.test(prefix)) screen = undefined; // Ink cleared the terminal itself
    if (!body) {
      screen = undefined;
      return real.write(prefix, cb as never);
    } // a clear
    const next = builtRows(body) ?? parseFrame(body);
    const out = diffFrames(screen, next, real.columns || 80);
    screen = next;
    if (out) return real.write(out, cb as never);
    cb?.();
    return true;
  };
  const proxy = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'write') return write;
      if (prop === 'reset')
        return () => {
          screen = undefined;
        };
      // the frame on screen drawn again whole (on a cleared screen): Ink writes nothing when its
      // next frame equals its last, as it does while the display is paused
      if (prop === 'repaint')
        return () => {
          if (screen) real.write(diffFrames(undefined, screen, real.columns || 80));
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return proxy as NodeJS.WriteStream & { reset(): void; repaint(): void };
}
