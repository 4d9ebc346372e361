// string-width with a fast path and a memo. Ink measures every text it lays out and (in its own
// Output) every character of every frame; string-width 8 segments each string into graphemes
// (Intl.Segmenter) and tests Unicode property regexes. Most of what umltop draws is ASCII, box
// drawing, block elements and braille: width 1 per code point, which is counted here directly.
// Anything else (wide, combining, emoji, other escapes) goes to string-width, memoised when short.
// Same answers as string-width for every string.
import stringWidthImpl from 'string-width-impl';

const cache = new Map();
const MAX = 1 << 16;

// Code points that are one column in every terminal and never combine with a neighbour (with
// string-width's default, ambiguous-is-narrow): printable ASCII and Latin-1 (not the soft hyphen),
// general punctuation (dashes, quotes, …), arrows, box drawing, block elements, geometric shapes
// (not the two emoji-presentation squares), braille.
function narrow(c) {
  return (
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa1 && c <= 0xff && c !== 0xad) ||
    (c >= 0x2010 && c <= 0x2027) ||
    (c >= 0x2190 && c <= 0x21ff) ||
    (c >= 0x2500 && c <= 0x25fc) ||
    (c >= 0x2800 && c <= 0x28ff)
  );
}

/** Width when every character is narrow (SGR sequences skipped), else -1. */
function fastWidth(s) {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x1b) {
      // ESC [ digits/semicolons m — anything else goes the long way
      if (s.charCodeAt(i + 1) !== 0x5b) return -1;
      let j = i + 2;
      while (j < s.length && ((s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) || s.charCodeAt(j) === 0x3b)) j++;
      if (s.charCodeAt(j) !== 0x6d) return -1;
      i = j;
      continue;
    }
    if (!narrow(c)) return -1;
    w++;
  }
  return w;
}

export default function stringWidth(input, options) {
  if (options !== undefined || typeof input !== 'string') return stringWidthImpl(input, options);
  const fast = fastWidth(input);
  if (fast >= 0) return fast;
  if (input.length > 8) return stringWidthImpl(input);
  let width = cache.get(input);
  if (width === undefined) {
    width = stringWidthImpl(input);
    if (cache.size >= MAX) cache.clear();
    cache.set(input, width);
  }
  return width;
}
