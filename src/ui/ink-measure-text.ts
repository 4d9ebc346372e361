// Ink's text measuring (build/measure-text.js), put in its place when the TUI is bundled
// (scripts/bundle.mjs). Ink's version remembers every distinct text it ever measured and never
// forgets: a monitor whose numbers change every second grew by ~1 MB a minute with 30 guests.
// Same answers (the widest line's width, the line count); the memory is bounded (cleared when full, as a frame re-measures what it shows).
import stringWidth from 'string-width';

const MAX = 4096;
const cache = new Map<string, { width: number; height: number }>();

export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  let dims = cache.get(text);
  if (!dims) {
    const lines = text.split('\n');
    let width = 0;
    for (const line of lines) width = Math.max(width, stringWidth(line));
    dims = { width, height: lines.length };
    if (cache.size >= MAX) cache.clear();
    cache.set(text, dims);
  }
  return dims;
}

/** How many texts are remembered (for the test of the bound). */
export function measuredCount(): number {
  return cache.size;
}
