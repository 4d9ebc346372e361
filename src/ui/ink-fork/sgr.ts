// SGR (colour and attribute) state as the terminal sees it, keyed by the parameters that set it
// from a reset: '' is the default style, '1;36' bold cyan. Shared by the frame builder (output.ts)
// and the cell diff (cell-diff.ts). Pure. No upstream file; it reads what chalk writes.

/** One terminal cell: its text ('' = the right half of a wide character) and its style key. */
export interface Cell {
  ch: string;
  style: string;
}
export const BLANK: Cell = { ch: ' ', style: '' };

interface Sgr {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

function applySgr(s: Sgr, params: string): Sgr {
  const p = params === '' ? [0] : params.split(';').map(Number);
  const out: Sgr = { ...s };
  for (let i = 0; i < p.length; i++) {
    const n = p[i]!;
    if (n === 0) {
      for (const k of Object.keys(out)) delete out[k as keyof Sgr];
    } else if (n === 1) out.bold = true;
    else if (n === 2) out.dim = true;
    else if (n === 22) {
      delete out.bold;
      delete out.dim;
    } else if (n === 3) out.italic = true;
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
      if (p[i + 1] === 5) {
        out[key] = `${n};5;${p[i + 2]}`;
        i += 2;
      } else if (p[i + 1] === 2) {
        out[key] = `${n};2;${p[i + 2]};${p[i + 3]};${p[i + 4]}`;
        i += 4;
      }
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

// A frame has a handful of distinct styles and transitions: remember them (bounded).
const transitions = new Map<string, string>();

/** The style key after `ESC [ params m` is applied to the style `key`. */
export function nextStyle(key: string, params: string): string {
  const id = `${key}|${params}`;
  let out = transitions.get(id);
  if (out === undefined) {
    out = styleKey(applySgr(applySgr({}, key), params));
    if (transitions.size >= 4096) transitions.clear();
    transitions.set(id, out);
  }
  return out;
}

/**
 * Where the escape sequence starting at `i` ends (index after it) and its SGR parameters when it
 * is one (`undefined` for other sequences, which carry no cell and no style).
 */
export function escapeAt(text: string, i: number): { end: number; sgr?: string } {
  const next = text.charCodeAt(i + 1);
  if (next === 0x5b) {
    // CSI: parameters and intermediates, then one final byte
    let j = i + 2;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) break;
      j++;
    }
    return text[j] === 'm' ? { end: j + 1, sgr: text.slice(i + 2, j) } : { end: Math.min(j + 1, text.length) };
  }
  if (next === 0x5d) {
    // OSC (hyperlinks): to BEL or ST
    for (let j = i + 2; j < text.length; j++) {
      if (text.charCodeAt(j) === 0x07) return { end: j + 1 };
      if (text.charCodeAt(j) === 0x1b && text[j + 1] === '\\') return { end: j + 2 };
    }
    return { end: text.length };
  }
  return { end: Math.min(i + 2, text.length) };
}

// Cells are shared, one object per (style, character): a frame's cells live until the next frame
// (the cell diff compares them), long enough to be promoted to V8's old generation, where a new
// set per frame piles up as garbage. Cleared when it gets large (a guest printing every code point).
const cells = new Map<string, Map<string, Cell>>();
let cellCount = 0;

export function cellOf(ch: string, style: string): Cell {
  let byCh = cells.get(style);
  if (!byCh) {
    byCh = new Map();
    cells.set(style, byCh);
  }
  let cell = byCh.get(ch);
  if (!cell) {
    if (cellCount >= 50_000) {
      cells.clear();
      cellCount = 0;
      byCh = new Map();
      cells.set(style, byCh);
    }
    cell = { ch, style };
    byCh.set(ch, cell);
    cellCount++;
  }
  return cell;
}

/** One row of cells as text: a style change is one `ESC[0;…m`; trailing default blanks are left out. */
export function rowText(row: readonly Cell[]): string {
  let last = row.length - 1;
  while (last >= 0 && row[last]!.ch === ' ' && row[last]!.style === '') last--;
  // parts joined once (adding 120 one-character strings one by one makes as many rope nodes)
  const parts: string[] = [];
  let style = '';
  for (let c = 0; c <= last; c++) {
    const cell = row[c]!;
    if (cell.ch === '') continue;
    if (cell.style !== style) {
      parts.push(cell.style ? `\u001b[0;${cell.style}m` : '\u001b[0m');
      style = cell.style;
    }
    parts.push(cell.ch);
  }
  if (style) parts.push('\u001b[0m');
  return parts.join('');
}
