import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLine } from '../../src/text/sanitize.js';

describe('sanitize guest text', () => {
  it('removes CSI, OSC (title, hyperlink), DCS and two-byte escapes', () => {
    expect(sanitizeLine('a\u001b[31mred\u001b[0m b')).toBe('ared b');
    expect(sanitizeLine('x\u001b]0;pwned title\u0007y')).toBe('xy');
    expect(sanitizeLine('x\u001b]8;;http://e\u001b\\link\u001b]8;;\u001b\\y')).toBe('xlinky');
    expect(sanitizeLine('x\u001bPq#0;2;0;0;0\u001b\\y')).toBe('xy');
    expect(sanitizeLine('x\u001bcy')).toBe('xy');
    expect(sanitizeLine('clear\u001b[2J\u001b[H')).toBe('clear');
  });

  it('removes 8-bit C1 controls, C0 controls, DEL and bidi overrides', () => {
    expect(sanitizeLine('a\u009b31mb')).toBe('ab');
    expect(sanitizeLine('a\u0007\u0008\u007f\u0000b')).toBe('ab');
    expect(sanitizeLine('user\u202egnp.exe')).toBe('usergnp.exe');
  });

  it('keeps newlines and tabs only in multiline text; drops carriage returns', () => {
    expect(sanitize('a\r\nb\tc', { multiline: true })).toBe('a\nb\tc');
    expect(sanitizeLine('a\nb\tc')).toBe('a b c');
  });

  it('an unterminated escape at the end is removed too', () => {
    expect(sanitizeLine('tail\u001b[')).toBe('tail');
    expect(sanitizeLine('tail\u001b]0;never ends')).toBe('tail');
  });

  it('leaves ordinary text, including UTF-8, alone', () => {
    expect(sanitizeLine('MemFree: 1234 kB — ok ✓')).toBe('MemFree: 1234 kB — ok ✓');
  });
});
