// string-width, memoised for short strings. Ink's Output.get() asks for the width of every
// character of every frame separately, and string-width 8 runs Intl.Segmenter and Unicode
// property regexes for each non-ASCII one (box drawing, braille charts, bars). In umltop's TUI
// (120x40, 10 guests) that was the largest single cost of a frame. Same answers, computed once.
import stringWidthImpl from 'string-width-impl';

const cache = new Map();
const MAX = 1 << 16;

export default function stringWidth(input, options) {
  if (options !== undefined || typeof input !== 'string' || input.length > 8) return stringWidthImpl(input, options);
  let width = cache.get(input);
  if (width === undefined) {
    width = stringWidthImpl(input);
    if (cache.size >= MAX) cache.clear();
    cache.set(input, width);
  }
  return width;
}
