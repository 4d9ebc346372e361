// Cell-level output for the TUI: Ink hands over each frame whole; this keeps a model of the
// screen and writes only the cells that changed, each run with one cursor move (what curses does
// for htop). Ink's own incremental mode rewrites every changed *line*: with a chart scrolling and
// a table ticking, that was ~3.8 KB/s at 120x40 against htop's ~0.7 KB/s.
// Pure (frame text in, escape sequences out) apart from the stream wrapper at the bottom.
import stringWidth from 'string-width';

interface Cell { ch: string; style: string }
const BLANK: Cell = { ch: ' ', style: '' };

interface Sgr { fg?: string; bg?: string; bold?: boolean; dim?: boolean; italic?: boolean; underline?: boolean; inverse?: boolean; strike?: boolean }

function applySgr(s: Sgr, params: string): Sgr {
  const p = params === '' ? [0] : params.split(';').map(Number);
  const out: Sgr = { ...s };
  for (let i = 0; i < p.length; i++) {
    const n = p[i]!;
    if (n === 0) { for (const k of Object.keys(out)) delete out[k as keyof Sgr]; }
    else if (n === 1) out.bold = true;
    else if (n === 2) out.dim = true;
    else if (n === 22) { delete out.bold; delete out.dim; }
    else if (n === 3) out.italic = true;
    else if (n === 23) delete out.italic;
    else if (n === 4) out.underline = true;
    else if (n === 24) delete out.underline;
    else if (n === 7) out.inverse = true;
    else if (n === 27) delete out.inverse;
    else if (n === 9) out.strike = true;
    else if (n === 29) delete out.strike;
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) out.fg = String(n);
    else if (n === 39) delete out.fg;
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) out.bg = String(n);
    else if (n === 49) delete out.bg;
    else if (n === 38 || n === 48) {
      const key = n === 38 ? 'fg' : 'bg';
      if (p[i + 1] === 5) { out[key] = `${n};5;${p[i + 2]}`; i += 2; }
      else if (p[i + 1] === 2) { out[key] = `${n};2;${p[i + 2]};${p[i + 3]};${p[i + 4]}`; i += 4; }
    }
  }
  return out;
}

/** The SGR parameters that set exactly this style from a reset ('' = default). */
function styleKey(s: Sgr): string {
  const out: string[] = [];
  if (s.bold) out.push('1');
  if (s.dim) out.push('2');
  if (s.italic) out.push('3');
  if (s.underline) out.push('4');
  if (s.inverse) out.push('7');
  if (s.strike) out.push('9');
  if (s.fg) out.push(s.fg);
  if (s.bg) out.push(s.bg);
  return out.join(';');
}

/** Frame text (lines with SGR sequences) → rows of cells. Other escape sequences are dropped. */
export function parseFrame(text: string): Cell[][] {
  const rows: Cell[][] = [];
  let sgr: Sgr = {};
  for (const line of text.split('\n')) {
    const row: Cell[] = [];
    let key = styleKey(sgr);
    for (let i = 0; i < line.length;) {
      if (line[i] === '\u001b') {
        const m = /^\u001b\[([0-9;]*)([A-Za-z])/.exec(line.slice(i, i + 32));
        if (m) {
          if (m[2] === 'm') { sgr = applySgr(sgr, m[1]!); key = styleKey(sgr); }
          i += m[0].length;
        } else i += 1;
        continue;
      }
      const cp = line.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      i += ch.length;
      const w = stringWidth(ch);
      if (w === 0) { if (row.length) row[row.length - 1] = { ...row[row.length - 1]!, ch: row[row.length - 1]!.ch + ch }; continue; }
      row.push({ ch, style: key });
      if (w === 2) row.push({ ch: '', style: key }); // the right half of a wide character
    }
    rows.push(row);
  }
  if (rows.length && rows[rows.length - 1]!.length === 0) rows.pop(); // the frame's final newline
  return rows;
}

/**
 * What to write to turn `prev` into `next` on screen (origin at row 1, column 1). Runs of changed
 * cells closer than `gap` cells are joined (rewriting a few cells costs less than a cursor move).
 */
export function diffFrames(prev: Cell[][] | undefined, next: Cell[][], width: number, gap = 4): string {
  let out = '';
  let current = ''; // the style the terminal has now (within this output)
  const setStyle = (key: string) => { if (key !== current) { out += key ? `\u001b[0;${key}m` : '\u001b[0m'; current = key; } };
  const rowCount = Math.max(prev?.length ?? 0, next.length);
  for (let r = 0; r < rowCount; r++) {
    const a = prev?.[r] ?? [];
    const b = next[r] ?? [];
    const len = Math.min(width, Math.max(a.length, b.length));
    const cellA = (c: number) => (prev ? a[c] ?? BLANK : undefined);
    const cellB = (c: number) => b[c] ?? BLANK;
    let c = 0;
    while (c < len) {
      const x = cellA(c);
      const y = cellB(c);
      if (x && x.ch === y.ch && x.style === y.style) { c++; continue; }
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
    if (!prev && b.length < width) { setStyle(''); out += `\u001b[${r + 1};${b.length + 1}H\u001b[K`; }
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
export function cellDiffStdout(real: NodeJS.WriteStream): NodeJS.WriteStream & { reset(): void } {
  let screen: Cell[][] | undefined;
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
    const prefix = INK_PREFIX.exec(text)?.[0] ?? '';
    const body = text.slice(prefix.length);
    if (!prefix && !body.includes('\n')) return real.write(chunk, cb as never); // not a frame
    if (/\u001b\[2J/.test(prefix)) screen = undefined; // Ink cleared the terminal itself
    if (!body) { screen = undefined; return real.write(prefix, cb as never); } // a clear
    const next = parseFrame(body);
    const out = diffFrames(screen, next, real.columns || 80);
    screen = next;
    return out ? real.write(out, cb as never) : (cb?.(), true);
  };
  const proxy = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'write') return write;
      if (prop === 'reset') return () => { screen = undefined; };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return proxy as NodeJS.WriteStream & { reset(): void };
}
