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
