// Keys: raw terminal input as the canonical names the action table uses, how a name is written in
// help and footer, and the keys bound for one run of the TUI: the action table with the config
// file's bindings, minus what the mode forbids. Read-only is decided here, once: an action that
// writes is not bound (k9s does the same with its dangerous keys), so it is neither dispatched nor shown.
import type { Action, Scope } from './action.js';
import { ACTIONS } from './table.js';

export interface KeymapMode {
  /** --read-only: watch without writing. */
  readOnly?: boolean;
  /** Replaying a recording: replay keys on, and nothing to write to. */
  replay?: boolean;
}

export interface Keymap {
  /** Whether writing to instances is allowed (the command line asks before running a write). */
  readonly writes: boolean;
  readonly readOnly: boolean;
  readonly replay: boolean;
  actionsFor(scope: Scope): Action[];
  find(scope: Scope, key: string): Action | undefined;
}

export function makeKeymap(mode: KeymapMode = {}, table: Action[] = ACTIONS): Keymap {
  const replay = Boolean(mode.replay);
  const writes = !mode.readOnly && !replay;
  const bound = table.filter((a) => (writes || !a.write) && Boolean(a.replay) === (replay && Boolean(a.replay)));
  const byScope = new Map<Scope, Action[]>();
  for (const a of bound) for (const s of a.scopes) byScope.set(s, [...(byScope.get(s) ?? []), a]);
  return {
    writes,
    readOnly: Boolean(mode.readOnly),
    replay,
    actionsFor: (scope) => byScope.get(scope) ?? [],
    find: (scope, key) => byScope.get(scope)?.find((a) => a.keys.includes(key)),
  };
}

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

export interface Key {
  /** The canonical name ('j', 'down', 'ctrl+c', 'enter'). */
  name: string;
  /** The character, for a printable key (typed into a filter or a dialog). */
  text?: string;
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
  '3~': 'backspace', // Delete
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
 * The keys in one raw input chunk, in order. Over SSH keys merge: fast typing and pastes arrive as
 * one chunk ("/mem"), a held arrow key as "ESC[B ESC[B ESC[B", Esc followed by a key as "ESC key".
 * Sequences not known as keys (mouse and focus reports, function keys) are dropped, so their bytes
 * never act as typed keys. Modifiers on arrows (ESC[1;5C) are ignored.
 */
export function parseKeys(raw: string): Key[] {
  const out: Key[] = [];
  for (let i = 0; i < raw.length; ) {
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
      out.push({ name: 'escape' }); // alone, or before a key (Alt+key: taken as Esc, key)
      i += 1;
      continue;
    }
    const cp = String.fromCodePoint(raw.codePointAt(i)!);
    i += cp.length;
    if (CONTROL_KEYS[cp]) out.push({ name: CONTROL_KEYS[cp]! });
    else if (cp < ' ') out.push({ name: `ctrl+${String.fromCharCode(cp.charCodeAt(0) + 96)}` });
    else out.push({ name: cp === ' ' ? 'space' : cp, text: cp });
  }
  return out;
}
