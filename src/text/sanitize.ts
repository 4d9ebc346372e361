// Guest-originated text is untrusted. Before it reaches a terminal, a file or a spreadsheet, every
// control character is turned into a visible escape (ESC as `\e`, others as `\xNN` / `\uNNNN`):
// the text stays inert (no byte of an escape sequence reaches the terminal as a control) and
// visible (nothing a guest writes is dropped, so nothing can hide by its name alone).

// C0 and C1 controls, DEL; bidi overrides, isolates and marks, and the line and paragraph
// separators: each can move or disguise the text around it.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// the same, but newline and tab pass (multiline text)
const CONTROLS_BUT_NL_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {
  '\u001b': '\\e',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u0007': '\\a',
  '\b': '\\b',
  '\u0000': '\\0',
};

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/** Control characters made visible escapes; newlines and tabs kept when multiline (CRLF → LF). */
export function sanitize(text: string, opts: { multiline?: boolean } = {}): string {
  if (opts.multiline) return text.replace(/\r\n/g, '\n').replace(CONTROLS_BUT_NL_TAB, escapeOne);
  return text.replace(CONTROLS, escapeOne);
}

/** One line of guest text for a table cell, event or label: every control character escaped. */
export function sanitizeLine(text: string): string {
  return sanitize(text, { multiline: false });
}

/** True when the text holds nothing sanitize would change. */
export function isInert(text: string, opts: { multiline?: boolean } = {}): boolean {
  return sanitize(text, opts) === (opts.multiline ? text.replace(/\r\n/g, '\n') : text);
}
