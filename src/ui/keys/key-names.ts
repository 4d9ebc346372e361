// Key names: Ink's (input, key) events as the canonical names the action table uses, and how a
// name is written in help and footer.

const NAMED_KEYS = new Set([
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'enter',
  'escape',
  'space',
  'tab',
  'shift+tab',
  'backspace',
]);

/** Is `k` a canonical key name (what keyName() produces)? */
export function isKeyName(k: string): boolean {
  return NAMED_KEYS.has(k) || /^ctrl\+[a-z]$/.test(k) || /^[\x21-\x7e]$/.test(k);
}

export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

/** Ink's (input, key) → a canonical key name as used in the table. */
export function keyName(input: string, key: InkKey): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** How a key is written in help and footer. */
export function keyLabel(k: string, ascii = false): string {
  const names: Record<string, string> = {
    up: ascii ? 'Up' : '↑',
    down: ascii ? 'Down' : '↓',
    enter: 'Enter',
    escape: 'Esc',
    space: 'Space',
    tab: 'Tab',
    'shift+tab': 'S-Tab',
    backspace: 'Bksp',
    home: 'Home',
    end: 'End',
    pageup: 'PgUp',
    pagedown: 'PgDn',
  };
  if (names[k]) return names[k]!;
  if (k.startsWith('ctrl+')) return `^${k.slice(5).toUpperCase()}`;
  return k;
}

/** One Ink input event → the keys it stands for. `text` is set for printable characters. */
export function splitKeys(input: string, key: InkKey): Array<{ name: string; text?: string }> {
  const printable = input.length > 0 && !/[\u0000-\u001f\u007f]/.test(input);
  if (key.meta && !key.escape && printable && !key.ctrl) {
    return [{ name: 'escape' }, ...[...input].map((ch) => ({ name: keyName(ch, {}), text: ch }))];
  }
  if (
    input.length > 1 &&
    !key.ctrl &&
    !key.meta &&
    !key.escape &&
    /^[\t\r\u007f\u0020-\u007e\u00a0-\uffff]+$/.test(input)
  ) {
    // printable text mixed with Tab / Enter / Backspace, merged into one chunk
    const special: Record<string, string> = { '\t': 'tab', '\r': 'enter', '\u007f': 'backspace' };
    return [...input].map((ch) => (special[ch] ? { name: special[ch]! } : { name: keyName(ch, {}), text: ch }));
  }
  const name = keyName(input, key);
  return [
    { name, text: printable && !key.ctrl && !key.meta && !key.return && !key.tab && !key.escape ? input : undefined },
  ];
}

const CSI_KEYS: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift+tab',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '3~': 'backspace', // Delete: as keyName() has it
  '5~': 'pageup',
  '6~': 'pagedown',
};
const CONTROL_KEYS: Record<string, string> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\u007f': 'backspace',
  '\b': 'backspace',
};

/**
 * The keys in one raw input chunk when it holds more than one, else undefined (then splitKeys on
 * Ink's event says it). Ink turns a chunk into one key event: a held arrow key over SSH sends
 * "ESC[B ESC[B ESC[B" in one chunk, and Ink reports one "down". Sequences not known as keys
 * (mouse, focus reports) are dropped.
 */
export function rawKeys(raw: string): Array<{ name: string; text?: string }> | undefined {
  const out: Array<{ name: string; text?: string }> = [];
  let tokens = 0;
  for (let i = 0; i < raw.length; tokens++) {
    const ch = raw[i]!;
    if (ch === '\u001b') {
      // CSI (ECMA-48: parameter bytes, intermediate bytes, a final byte) or SS3
      const csi = /^\u001b\[([0-?]*)[ -/]*([@-~])/.exec(raw.slice(i)) ?? /^\u001bO()([A-Za-z])/.exec(raw.slice(i));
      if (csi) {
        const name = CSI_KEYS[csi[2] === '~' ? `${csi[1]!.split(';')[0]}~` : csi[2]!];
        if (name) out.push({ name });
        i += csi[0].length;
        continue;
      }
      out.push({ name: 'escape' }); // alone, or before a key (Ink's Alt+key: taken as Esc, key)
      i += 1;
      continue;
    }
    const cp = String.fromCodePoint(raw.codePointAt(i)!);
    i += cp.length;
    if (CONTROL_KEYS[cp]) out.push({ name: CONTROL_KEYS[cp]! });
    else if (cp < ' ') out.push({ name: `ctrl+${String.fromCharCode(cp.charCodeAt(0) + 96)}` });
    else out.push({ name: keyName(cp, {}), text: cp });
  }
  return tokens > 1 ? out : undefined;
}
