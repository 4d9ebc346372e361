// Shared helpers for the pure /proc parsers: tolerant of junk, never throwing on a bad line.

/** What a regex's \s (and String.prototype.trim) treats as white space, newlines included. */
export const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));

/** What a regex's \s matches, except the newline (lines are split at it). */
export const isBlank = (c: number) => c !== 10 && isSpace(c);

/**
 * Split text into trimmed, non-empty lines (CR removed). One pass and one string per line: these
 * run on every reply of every guest every second (the old split/map/replace/trim/filter chain
 * made most of the collectors' garbage).
 */
export function lines(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let a = start;
    let b = end;
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    if (b > a) {
      let line = text.slice(a, b);
      if (line.includes('\r')) line = line.replace(/\r/g, '').trim(); // a CR inside: the general rule
      if (line) out.push(line);
    }
    start = end + 1;
  }
  return out;
}

/** A non-negative integer or undefined (rejects '12abc', negatives, NaN, non-safe values). */
export function uint(word: string | undefined): number | undefined {
  if (word === undefined || word.length === 0) return undefined;
  return digitsAt(word, 0, word.length);
}

/** The digits text[from, to) as a safe integer, or undefined when any is not a digit (or none). */
export function digitsAt(text: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Index of the first blank (space, tab) at or after `i`, or `text.length`. */
export function blankAt(text: string, i: number): number {
  while (i < text.length && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the first non-blank at or after `i`, or `text.length`. */
export function nonBlankAt(text: string, i: number): number {
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** A finite non-negative decimal ('12.34') or undefined. */
export function udec(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d+(\.\d+)?$/.test(word)) return undefined;
  const n = Number(word);
  return Number.isFinite(n) ? n : undefined;
}

/** Problems seen while parsing, kept so a pane can say "3 lines ignored" instead of guessing. */
export interface Parsed<T> {
  value: T;
  ignored: number;
}
