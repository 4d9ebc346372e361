import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/ui/keys/action.js';
import { keyLabel, keyName, rawKeys, splitKeys } from '../../src/ui/keys/key-names.js';
import { type KeymapMode, makeKeymap } from '../../src/ui/keys/keymap.js';
import { ACTIONS } from '../../src/ui/keys/table.js';
import { footerText } from '../../src/ui/panes/footer.js';
import { helpLines } from '../../src/ui/panes/help.js';

const actionsFor = (scope: Scope, mode: KeymapMode = {}) => makeKeymap(mode).actionsFor(scope);
const findAction = (scope: Scope, key: string) => makeKeymap().find(scope, key);

const SCOPES: Scope[] = ['main', 'filter', 'prompt', 'dialog', 'output', 'help'];

describe('the action table', () => {
  it('every action has an id, at least one key, a description and a scope', () => {
    for (const a of ACTIONS) {
      expect(a.id).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(a.keys.length).toBeGreaterThan(0);
      expect(a.description.length).toBeGreaterThan(5);
      expect(a.scopes.length).toBeGreaterThan(0);
    }
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
  });

  it('no two actions share a key in one scope (live, read-only and replay modes)', () => {
    for (const [scope, mode] of SCOPES.flatMap(
      (sc) =>
        [
          [sc, {}],
          [sc, { readOnly: true }],
          [sc, { replay: true }],
        ] as const,
    )) {
      const seen = new Map<string, string>();
      for (const a of actionsFor(scope, mode)) {
        for (const k of a.keys) {
          expect(seen.get(k), `${k} in ${scope}: ${seen.get(k)} and ${a.id}`).toBeUndefined();
          seen.set(k, a.id);
        }
      }
    }
  });

  it('the keys the issue names are bound', () => {
    const main: Record<string, string> = {
      q: 'app.quit',
      'ctrl+c': 'app.quit',
      '?': 'app.help',
      up: 'select.up',
      k: 'select.up',
      down: 'select.down',
      j: 'select.down',
      tab: 'focus.next',
      'shift+tab': 'focus.prev',
      enter: 'view.zoom',
      '/': 'filter.start',
      escape: 'view.escape',
      P: 'view.sort-cpu',
      M: 'view.sort-mem',
      I: 'view.sort-irq',
      r: 'view.reverse',
      '+': 'view.interval-up',
      '-': 'view.interval-down',
      space: 'view.pause',
      'ctrl+l': 'view.redraw',
    };
    for (const [key, id] of Object.entries(main)) expect(findAction('main', key)?.id, key).toBe(id);
    expect(findAction('filter', 'escape')?.id).toBe('filter.cancel');
    expect(findAction('filter', 'ctrl+c')?.id).toBe('app.force-quit');
  });

  it('help lists every action of every scope; the footer only ones marked for it', () => {
    const help = helpLines(makeKeymap())
      .filter((l) => l.text)
      .map((l) => l.text);
    for (const scope of SCOPES) for (const a of actionsFor(scope)) expect(help).toContain(a.description);
    expect(footerText('main', makeKeymap())).toMatch(/^q quit {2}\? help/);
  });

  it('maps Ink key events to names', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('', { tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyName(' ', {})).toBe('space');
    expect(keyName('P', { shift: true })).toBe('P');
    expect(keyLabel('ctrl+l')).toBe('^L');
  });
});

describe('keys that arrive merged (over SSH)', () => {
  it('a pasted or fast-typed chunk is taken a character at a time', () => {
    expect(splitKeys('/mem', {})).toEqual([
      { name: '/', text: '/' },
      { name: 'm', text: 'm' },
      { name: 'e', text: 'e' },
      { name: 'm', text: 'm' },
    ]);
  });
  it('Esc followed by a key (reported as Alt+key) is Esc, then the key', () => {
    expect(splitKeys('?', { meta: true })).toEqual([{ name: 'escape' }, { name: '?', text: '?' }]);
  });
  it('printable keys merged with Tab / Enter / Backspace are taken apart', () => {
    expect(splitKeys('?\t\t\r', {}).map((k) => k.name)).toEqual(['?', 'tab', 'tab', 'enter']);
    expect(splitKeys('ab\u007f', {}).map((k) => k.name)).toEqual(['a', 'b', 'backspace']);
  });
  it('escape sequences merged into one chunk (a held arrow key) are each a key; one key alone is left to Ink', () => {
    expect(rawKeys('\u001b[B\u001b[B\u001b[B')?.map((k) => k.name)).toEqual(['down', 'down', 'down']);
    expect(rawKeys('\u001b[A\u001bOBj\u001b[6~\u001b[Z\u001b[1;5C')?.map((k) => k.name)).toEqual([
      'up',
      'down',
      'j',
      'pagedown',
      'shift+tab',
      'right',
    ]);
    // the same as splitKeys for what it already took apart
    expect(rawKeys('/mem')).toEqual(splitKeys('/mem', {}));
    expect(rawKeys('\u001b?')).toEqual(splitKeys('?', { meta: true }));
    expect(rawKeys('?\t\t\r')).toEqual(splitKeys('?\t\t\r', {}));
    expect(rawKeys('a\u0003')?.map((k) => k.name)).toEqual(['a', 'ctrl+c']);
    // unknown sequences (a mouse report) are dropped, the keys around them kept
    expect(rawKeys('\u001b[<0;3;4Mq')?.map((k) => k.name)).toEqual(['q']);
    for (const one of ['\u001b[B', 'q', '\u001b', '\r', 'é']) expect(rawKeys(one)).toBeUndefined();
  });
  it('single keys and special keys pass through', () => {
    expect(splitKeys('', { escape: true, meta: true })).toEqual([{ name: 'escape', text: undefined }]);
    expect(splitKeys('c', { ctrl: true })).toEqual([{ name: 'ctrl+c', text: undefined }]);
    expect(splitKeys(' ', {})).toEqual([{ name: 'space', text: ' ' }]);
    expect(splitKeys('\r', { return: true })).toEqual([{ name: 'enter', text: undefined }]);
  });
});

describe('the README documents every key', () => {
  it('each action of the table appears in the README key table', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const a of ACTIONS)
      expect(readme, a.id).toContain(`| ${a.keys.map((k) => `\`${keyLabel(k)}\``).join(' ')} | ${a.description} |`);
  });
});
