// The cell-diff output: frames parsed into cells (styles, wide characters), diffs that rebuild
// the next frame exactly on a screen model, and that are small when little changed.
import { describe, expect, it } from 'vitest';
import { diffFrames, parseFrame } from '../../../src/ui/ink-fork/cell-diff.js';

/** A minimal terminal: cursor moves (CSI r;c H), erase to end of line (CSI K), SGR, printable text. */
function applyTo(screen: string[][], styles: string[][], out: string): void {
  let r = 0,
    c = 0,
    style = '';
  for (let i = 0; i < out.length; ) {
    const m = /^\u001b\[([0-9;]*)([HKm])/.exec(out.slice(i));
    if (m) {
      if (m[2] === 'H') {
        const [a, b] = m[1]!.split(';').map(Number);
        r = a! - 1;
        c = b! - 1;
      } else if (m[2] === 'K') {
        for (let k = c; k < screen[r]!.length; k++) {
          screen[r]![k] = ' ';
          styles[r]![k] = '';
        }
      } else style = m[1] === '0' || m[1] === '' ? '' : m[1]!.replace(/^0;/, '');
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(out.codePointAt(i)!);
    i += ch.length;
    screen[r]![c] = ch;
    styles[r]![c] = style;
    c += /[\u3000-\u9fff]/.test(ch) ? 2 : 1;
  }
}

const blank = (rows: number, cols: number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => ' '));
const text = (screen: string[][]) => screen.map((row) => row.join('').replace(/\s+$/, ''));

describe('cell diff', () => {
  it('parses SGR into per-cell styles and gives wide characters two cells', () => {
    const rows = parseFrame('a\u001b[1m\u001b[36mb\u001b[39mc\u001b[22m d\n漢x\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.map((x) => `${x.ch}:${x.style}`)).toEqual(['a:', 'b:1;36', 'c:1', ' :', 'd:']);
    expect(rows[1]!.map((x) => x.ch)).toEqual(['漢', '', 'x']);
  });

  it('a diff rebuilds the next frame exactly, and is small when one number changed', () => {
    const width = 40;
    const f1 =
      'umltop cpu  12% \u001b[36m▉░░░\u001b[39m 10:00:01\n\u001b[1mUMID  STATE\u001b[22m\nvm1   running  3.0\nvm2   running 97.0\n';
    const f2 =
      'umltop cpu  13% \u001b[36m▉░░░\u001b[39m 10:00:02\n\u001b[1mUMID  STATE\u001b[22m\nvm1   running  3.0\nvm2   stopped\n';
    const screen = blank(6, width);
    const styles = blank(6, width).map((r) => r.map(() => ''));
    const first = diffFrames(undefined, parseFrame(f1), width);
    applyTo(screen, styles, first);
    expect(text(screen).slice(0, 4)).toEqual([
      'umltop cpu  12% ▉░░░ 10:00:01',
      'UMID  STATE',
      'vm1   running  3.0',
      'vm2   running 97.0',
    ]);
    expect(styles[0]![16]).toBe('36');
    expect(styles[1]![0]).toBe('1');
    const second = diffFrames(parseFrame(f1), parseFrame(f2), width);
    applyTo(screen, styles, second);
    expect(text(screen).slice(0, 4)).toEqual([
      'umltop cpu  13% ▉░░░ 10:00:02',
      'UMID  STATE',
      'vm1   running  3.0',
      'vm2   stopped',
    ]);
    expect(second.length).toBeLessThan(first.length / 2);
    expect(second).not.toContain('UMID'); // unchanged rows are not written at all
    expect(diffFrames(parseFrame(f2), parseFrame(f2), width)).toBe('');
  });
});
