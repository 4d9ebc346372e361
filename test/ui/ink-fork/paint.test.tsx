// Painted lines (src/ui/widgets/paint.ts) against what Ink's own nested <Text> draws: the same
// cells (characters and styles), cut the same way.
import chalk from 'chalk';
import { Box, Text } from 'ink';
import { render } from '../../helpers/ink-render.js';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrame } from '../../../src/ui/ink-fork/cell-diff.js';
import { line, paint, type Span } from '../../../src/ui/ink-fork/paint.js';

const level = chalk.level;
beforeAll(() => {
  chalk.level = 3;
});
afterAll(() => {
  chalk.level = level;
});

const cells = (node: ReactElement) => parseFrame(render(node).lastFrame() ?? '');

function inkLine(spans: Span[], width: number, whole: { inverse?: boolean; dim?: boolean } = {}) {
  return (
    <Box width={width}>
      <Text wrap="truncate" inverse={whole.inverse} dimColor={whole.dim}>
        {spans.map((s, i) => (
          <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

const painted = (text: string, width: number) => (
  <Box width={width}>
    <Text wrap="truncate">{text}</Text>
  </Box>
);

const SPANS: Span[][] = [
  [
    { text: '━ host 2.0%', color: 'cyan' },
    { text: '  ' },
    { text: '━ guest 1.0%', color: 'magenta' },
    { text: '  ' },
    { text: 'idle', color: 'gray' },
  ],
  [
    { text: '>', bold: true },
    { text: '!', color: 'red', bold: true },
    { text: ' ' },
    { text: 'web-1            ' },
    { text: 'running', color: 'green' },
    { text: '   2.5' },
  ],
  [
    { text: ' 5 mconsole  ', color: '#ff8800', bold: true },
    { text: '⣀⣤⣶⣿⣿⣶⣤⣀', color: 'ansi256(33)' },
    { text: ' 12', color: 'rgb(10,200,30)', dim: true },
  ],
  [{ text: '' }, { text: 'abc', inverse: true }, { text: '' }],
];

describe('line()', () => {
  for (const [i, spans] of SPANS.entries()) {
    for (const width of [1, 2, 5, 11, 12, 13, 20, 40]) {
      it(`spans ${i} at ${width} columns: the cells Ink's nested Text draws`, () => {
        expect(cells(painted(line(spans, width), width))).toEqual(cells(inkLine(spans, width)));
      });
    }
  }

  it('a whole-line style (a selected, stale row) around spans of their own', () => {
    const whole = { inverse: true, dim: true };
    for (const width of [6, 30])
      expect(cells(painted(line(SPANS[1]!, width, { whole }), width))).toEqual(cells(inkLine(SPANS[1]!, width, whole)));
  });

  it('cuts with the ellipsis in the style of the last character kept', () => {
    const atBoundary = parseFrame(line([{ text: 'abcd', color: 'red' }, { text: 'efgh' }], 5))[0]!;
    expect(atBoundary.map((c) => c.ch).join('')).toBe('abcd…');
    expect(atBoundary[4]!.style).toBe('31');
    const inside = parseFrame(line([{ text: 'ab' }, { text: 'cdefgh', color: 'red' }], 5))[0]!;
    expect(inside.map((c) => `${c.ch}${c.style}`).join(' ')).toBe('a b c31 d31 …31');
  });

  it('--ascii cuts with "~", and nothing is added to a line that fits', () => {
    expect(chalk.reset(line([{ text: 'abcdef' }], 4, { ascii: true }))).toContain('abc~');
    expect(line([{ text: 'abcd' }], 4, { ascii: true })).toBe('abcd');
    expect(line([{ text: 'abcd' }], 0)).toBe('');
  });

  it('measures wide characters in columns, not code points', () => {
    const out = parseFrame(line([{ text: '漢字漢字' }], 5))[0]!;
    expect(out.map((c) => c.ch).join('')).toBe('漢字…');
  });

  it('paint() with no colour support leaves the text bare', () => {
    chalk.level = 0;
    try {
      expect(paint('x', { color: 'red', bold: true, inverse: true })).toBe('x');
    } finally {
      chalk.level = 3;
    }
  });
});
