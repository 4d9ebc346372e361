// Guest-originated text is untrusted: remove terminal escape sequences and control characters
// before anything reaches a terminal.

// ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ ... ST or BEL),
// and two-byte escapes; plus their 8-bit C1 forms.
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|[\u001b][\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|[\u0090\u0098\u009d\u009e\u009f][\s\S]*?(?:\u0007|\u009c|\u001b\\|$)|\u001b[\s\S]?/g;
// Remaining C0 (but \t and \n), DEL and C1 controls; also bidi overrides that can disguise text.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Strip escape sequences and control characters; keeps newlines and tabs when multiline. */
export function sanitize(text: string, opts: { multiline?: boolean } = {}): string {
  let out = text.replace(ESCAPES, '').replace(CONTROLS, '');
  if (!opts.multiline) out = out.replace(/[\n\t]/g, ' ');
  return out;
}

/** One line of guest text for a table cell or event: no newlines, control characters removed. */
export function sanitizeLine(text: string): string {
  return sanitize(text, { multiline: false });
}
