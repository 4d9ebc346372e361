// Shared helpers for the pure /proc parsers: tolerant of junk, never throwing on a bad line.

/** Split text into trimmed, non-empty lines (CR removed). */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r/g, '').trim()).filter((l) => l.length > 0);
}

/** A non-negative integer or undefined (rejects '12abc', negatives, NaN, non-safe values). */
export function uint(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d+$/.test(word)) return undefined;
  const n = Number(word);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A finite non-negative decimal ('12.34') or undefined. */
export function udec(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d+(\.\d+)?$/.test(word)) return undefined;
  const n = Number(word);
  return Number.isFinite(n) ? n : undefined;
}

/** Problems seen while parsing, kept so a pane can say "3 lines ignored" instead of guessing. */
export interface Parsed<T> { value: T; ignored: number }
