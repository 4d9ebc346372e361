import { describe, expect, it } from 'vitest';
import { isInert, sanitize, sanitizeLine } from '../../src/text/sanitize.js';

describe('sanitize guest text: inert and visible', () => {
  it('shows CSI, OSC (title, hyperlink), DCS and two-byte escapes as text, ESC as \\e', () => {
    expect(sanitizeLine('a\u001b[31mred\u001b[0m b')).toBe('a\\e[31mred\\e[0m b');
    expect(sanitizeLine('x\u001b]0;pwned title\u0007y')).toBe('x\\e]0;pwned title\\ay');
    expect(sanitizeLine('x\u001b]8;;http://e\u001b\\link\u001b]8;;\u001b\\y')).toBe(
      'x\\e]8;;http://e\\e\\link\\e]8;;\\e\\y',
    );
    expect(sanitizeLine('x\u001bcy')).toBe('x\\ecy');
    expect(sanitizeLine('clear\u001b[2J\u001b[H')).toBe('clear\\e[2J\\e[H');
  });

  it('8-bit C1 controls, C0 controls, DEL, bidi overrides and line separators as \\xNN / \\uNNNN', () => {
    expect(sanitizeLine('a\u009b31mb')).toBe('a\\x9b31mb');
    expect(sanitizeLine('a\u0007\u0008\u007f\u0000\u0001b')).toBe('a\\a\\b\\x7f\\0\\x01b');
    expect(sanitizeLine('user\u202egnp.exe')).toBe('user\\u202egnp.exe');
    expect(sanitizeLine('a\u2028b\u200fc')).toBe('a\\u2028b\\u200fc');
  });

  it('newlines and tabs are kept only in multiline text, where CRLF is a line end; a lone CR shows', () => {
    expect(sanitize('a\r\nb\tc\rd', { multiline: true })).toBe('a\nb\tc\\rd');
    expect(sanitizeLine('a\nb\tc')).toBe('a\\nb\\tc');
  });

  it('an unterminated escape at the end is shown too', () => {
    expect(sanitizeLine('tail\u001b[')).toBe('tail\\e[');
    expect(sanitizeLine('tail\u001b]0;never ends')).toBe('tail\\e]0;never ends');
  });

  it('leaves ordinary text, including UTF-8, alone', () => {
    expect(sanitizeLine('MemFree: 1234 kB — ok ✓')).toBe('MemFree: 1234 kB — ok ✓');
    expect(isInert('MemFree: 1234 kB — ok ✓')).toBe(true);
    expect(isInert('a\u001bb')).toBe(false);
  });
});
