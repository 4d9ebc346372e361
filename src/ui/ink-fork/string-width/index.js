// Replaces string-width for the whole dependency tree (package.json: a dependency plus an npm
// override for every copy, so Ink, wrap-ansi, widest-line and cli-truncate get it, bundled or not).
// Wraps string-width 8.3.0 (installed as string-width-impl) with the same answers for every string:
// text made only of characters one column wide everywhere (ASCII, Latin-1, punctuation, arrows, box
// drawing, blocks, braille; SGR sequences skipped) is counted directly, short other strings are
// memoised. Why: Ink measures every text it lays out, and string-width segments each string into
// graphemes (Intl.Segmenter) and tests Unicode property regexes.
// On an upgrade of string-width or Ink, re-check: the API (default export, options passed on) and
// the narrow ranges (test/ui/ink-fork/output.test.ts checks each code point against it).
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
