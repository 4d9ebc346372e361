// Cutting plain text (no escape sequences) to terminal columns: wide characters take 2, combining
// marks 0. Measuring is string-width itself (the ink-fork's counts narrow characters directly).
// Pure.
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The longest start of `text` that fits in `room` columns, and the columns it takes. */
export function cutToColumns(text: string, room: number): { text: string; width: number } {
  if (PRINTABLE_ASCII.test(text)) {
    const t = text.slice(0, Math.max(0, room));
    return { text: t, width: t.length };
  }
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = stringWidth(ch);
    if (width + w > room) break;
    out += ch;
    width += w;
  }
  return { text: out, width };
}
