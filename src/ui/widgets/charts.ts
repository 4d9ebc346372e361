// Chart drawing in the blessed-contrib vocabulary (sparkline, line chart, gauge), as pure
// functions from numbers to strings, so Ink components stay thin and tests read plain text.
// Unicode mode uses block and braille characters; ASCII mode only printable ASCII.

import stringWidth from 'string-width';
import { cutToColumns } from '../../text/columns.js';

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_LEVELS = ['_', '.', '-', '~', '=', '+', '*', '#'];

/** One character per value (newest right); NaN (no data) is a space. */
export function sparkline(values: number[], width: number, opts: { max?: number; ascii?: boolean } = {}): string {
  const vs = values.slice(-width);
  const finite = vs.filter(Number.isFinite);
  const max = opts.max ?? Math.max(1e-9, ...finite);
  const levels = opts.ascii ? ASCII_LEVELS : BLOCKS;
  const out = vs
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (v <= 0) return opts.ascii ? ' ' : ' ';
      const i = Math.min(levels.length - 1, Math.max(0, Math.ceil((v / max) * levels.length) - 1));
      return levels[i]!;
    })
    .join('');
  return out.padStart(width, ' ');
}

/** A horizontal bar of `width` cells for value/max. */
export function gauge(value: number | undefined, max: number, width: number, opts: { ascii?: boolean } = {}): string {
  if (width <= 0) return '';
  if (value === undefined || !Number.isFinite(value) || max <= 0) return (opts.ascii ? '?' : '·').repeat(width);
  const frac = Math.min(1, Math.max(0, value / max));
  if (opts.ascii) {
    const n = Math.round(frac * width);
    return '#'.repeat(n) + '-'.repeat(width - n);
  }
  const eighths = Math.round(frac * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  const partial = part ? ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][part]! : '';
  return ('█'.repeat(full) + partial).padEnd(width, '░');
}

/** A bar split into segments (e.g. used / cached / free memory); each segment a character. */
export function stackedBar(parts: Array<{ value: number; char: string }>, total: number, width: number): string[] {
  if (total <= 0 || width <= 0) return parts.map(() => '');
  let used = 0;
  const cells = parts.map((p, i) => {
    const n =
      i === parts.length - 1
        ? width - used
        : Math.min(width - used, Math.round((Math.max(0, p.value) / total) * width));
    used += Math.max(0, n);
    return p.char.repeat(Math.max(0, n));
  });
  return cells;
}

export interface Series {
  values: number[];
  tag: number;
}

/**
 * A line chart of one or more series on a `width`×`height` grid of cells (newest right), 0..max.
 * Braille gives 2×4 dots per cell; ASCII plots one mark per column. Returns rows top to bottom
 * and, per cell, which series drew there (for colouring): -1 none.
 */
export function lineChart(
  series: Series[],
  width: number,
  height: number,
  opts: { max: number; ascii?: boolean; marks?: string[] },
): { rows: string[]; owner: number[][] } {
  // no room (a short terminal leaves a pane its title and labels only): no rows, and no plotting
  // into rows that are not there
  if (height <= 0 || width <= 0) return { rows: [], owner: [] };
  const owner = Array.from({ length: height }, () => new Array<number>(width).fill(-1));
  if (opts.ascii) {
    const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
    for (const s of series) {
      const vs = s.values.slice(-width);
      const off = width - vs.length;
      vs.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        const row = height - 1 - Math.min(height - 1, Math.max(0, Math.round((v / opts.max) * (height - 1))));
        grid[row]![off + i] = opts.marks?.[s.tag] ?? '*';
        owner[row]![off + i] = s.tag;
      });
    }
    return { rows: grid.map((r) => r.join('')), owner };
  }
  const dots = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  const dotRows = height * 4;
  const BIT = [
    [0x01, 0x08],
    [0x02, 0x10],
    [0x04, 0x20],
    [0x40, 0x80],
  ];
  for (const s of series) {
    const vs = s.values.slice(-width * 2);
    const off = width * 2 - vs.length;
    let prevY: number | undefined;
    vs.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        prevY = undefined;
        return;
      }
      const y = dotRows - 1 - Math.min(dotRows - 1, Math.max(0, Math.round((v / opts.max) * (dotRows - 1))));
      const x = off + i;
      // join to the previous point vertically so steep changes read as a line
      const [from, to] = prevY === undefined ? [y, y] : [Math.min(prevY, y), Math.max(prevY, y)];
      for (let yy = from; yy <= to; yy++) {
        if (yy !== y && prevY !== undefined && Math.abs(yy - y) > Math.abs(prevY - y) / 2 + 0.5) continue;
        const cr = Math.floor(yy / 4);
        const cc = Math.floor(x / 2);
        dots[cr]![cc]! |= BIT[yy % 4]![x % 2]!;
        if (owner[cr]![cc] === -1) owner[cr]![cc] = s.tag;
      }
      prevY = y;
    });
  }
  return { rows: dots.map((r) => r.map((d) => (d ? String.fromCharCode(0x2800 + d) : ' ')).join('')), owner };
}

/** Human sizes from KiB: 512K, 63.8M, 1.2G. */
export function fmtKiB(kib: number | undefined): string {
  if (kib === undefined || !Number.isFinite(kib)) return '-';
  const sign = kib < 0 ? '-' : '';
  const a = Math.abs(kib);
  if (a < 1024) return `${sign}${Math.round(a)}K`;
  if (a < 1024 * 1024) return `${sign}${(a / 1024).toFixed(a < 10 * 1024 ? 1 : 0)}M`;
  return `${sign}${(a / 1024 / 1024).toFixed(1)}G`;
}

export function fmtRate(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n >= 10_000) return `${(n / 1000).toFixed(0)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

export function fmtPct(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(1);
}

export function fmtDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d${String(h).padStart(2, '0')}h`;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Fit text to exactly `width` terminal columns (truncating with an ellipsis): a wide character
 * takes two, a combining mark none, so a name in any script keeps the columns after it aligned.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ascii = false): string {
  if (width <= 0) return '';
  const w = stringWidth(text);
  if (w > width) {
    const keep = width === 1 ? 1 : width - 1; // one column is too narrow for an ellipsis
    const cut = cutToColumns(text, keep);
    // a blank where a wide character did not fit, so the cell is still exactly `width`
    return cut.text + ' '.repeat(keep - cut.width) + (width === 1 ? '' : ascii ? '~' : '…');
  }
  return align === 'left' ? text + ' '.repeat(width - w) : ' '.repeat(width - w) + text;
}
