import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/ui/keys/action.js';
import { type KeymapMode, keyLabel, makeKeymap, parseKeys } from '../../src/ui/keys/keymap.js';
import { useKeys } from '../../src/ui/use-keys.js';
import { ACTIONS } from '../../src/ui/keys/table.js';
import { footerText } from '../../src/ui/panes/footer.js';
import { helpLines } from '../../src/ui/panes/help.js';
import { render } from '../helpers/ink-render.js';
import { waitFor } from '../helpers/wait.js';

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

  it('writes key names for help and footer', () => {
    expect(keyLabel('ctrl+l')).toBe('^L');
    expect(keyLabel('shift+tab')).toBe('S-Tab');
  });
});

describe('keys from the terminal, merged or not (over SSH)', () => {
  const names = (raw: string) => parseKeys(raw).map((k) => k.name);
  it('a pasted or fast-typed chunk is taken a character at a time', () => {
    expect(parseKeys('/mem')).toEqual([
      { name: '/', text: '/' },
      { name: 'm', text: 'm' },
      { name: 'e', text: 'e' },
      { name: 'm', text: 'm' },
    ]);
  });
  it('Esc followed by a key (Alt+key) is Esc, then the key', () => {
    expect(parseKeys('\u001b?')).toEqual([{ name: 'escape' }, { name: '?', text: '?' }]);
    expect(names('\u001bk')).toEqual(['escape', 'k']);
  });
  it('printable keys merged with Tab / Enter / Backspace / ctrl keys are taken apart', () => {
    expect(names('?\t\t\r')).toEqual(['?', 'tab', 'tab', 'enter']);
    expect(names('ab\u007f')).toEqual(['a', 'b', 'backspace']);
    expect(names('a\u0003')).toEqual(['a', 'ctrl+c']);
  });
  it('escape sequences merged into one chunk (a held arrow key) are each a key', () => {
    expect(names('\u001b[B\u001b[B\u001b[B')).toEqual(['down', 'down', 'down']);
    expect(names('\u001b[A\u001bOBj\u001b[6~\u001b[Z\u001b[1;5C')).toEqual([
      'up',
      'down',
      'j',
      'pagedown',
      'shift+tab',
      'right',
    ]);
  });
  it('unknown sequences (mouse, focus reports, function keys) are dropped, the keys around them kept', () => {
    expect(names('\u001b[<0;3;4Mq')).toEqual(['q']);
    expect(names('\u001b[I\u001b[Oj\u001b[15~\u001bOP')).toEqual(['j']);
  });
  it('single keys and special keys', () => {
    expect(parseKeys('\u001b')).toEqual([{ name: 'escape' }]);
    expect(parseKeys('\u0003')).toEqual([{ name: 'ctrl+c' }]);
    expect(parseKeys(' ')).toEqual([{ name: 'space', text: ' ' }]);
    expect(parseKeys('\r')).toEqual([{ name: 'enter' }]);
    expect(parseKeys('P')).toEqual([{ name: 'P', text: 'P' }]);
    expect(parseKeys('é')).toEqual([{ name: 'é', text: 'é' }]);
    expect(names('\u001b[3~\u001b[H\u001b[4~')).toEqual(['backspace', 'home', 'end']);
  });
  it("through Ink's public stdin: each chunk's keys, in order, and none while inactive", async () => {
    const keys: string[] = [];
    function Keys({ active }: { active: boolean }) {
      useKeys((ks) => {
        for (const k of ks) keys.push(k.name);
      }, active);
      return null;
    }
    const r = render(<Keys active />);
    try {
      r.stdin.write('\u001b[B\u001b[B\u001b[B');
      r.stdin.write('/m');
      await waitFor(() => keys.length >= 5, 2000, 'five keys');
      expect(keys).toEqual(['down', 'down', 'down', '/', 'm']);
      r.rerender(<Keys active={false} />);
      r.stdin.write('q');
      r.rerender(<Keys active />);
      r.stdin.write('j');
      await waitFor(() => keys.length >= 6, 2000, 'the key typed once active again');
      expect(keys.slice(5)).toEqual(['j']); // the q typed while inactive never arrived
    } finally {
      r.unmount();
    }
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

describe('L, the console log', () => {
  // a host file: an unresponsive guest (its kernel runs, its mconsole does not answer) is the one
  // whose console is most worth reading; a dead one has no kernel to find the file through
  const runL = (selected: { live: boolean; kernelRuns: boolean }) => {
    const calls: string[] = [];
    const c = {
      selected: () => ({ key: 'k', umid: 'u', ...selected }),
      guest: (what: string) => calls.push(`guest ${what}`),
      dispatch: (a: { type: string; text?: string }) => calls.push(`${a.type} ${a.text ?? ''}`),
    } as unknown as Parameters<NonNullable<ReturnType<typeof findAction>>['run']>[0];
    findAction('main', 'L')!.run(c);
    return calls;
  };
  it('opens for a guest whose kernel runs, answering or not', () => {
    expect(runL({ live: true, kernelRuns: true })).toEqual(['guest log']);
    expect(runL({ live: false, kernelRuns: true })).toEqual(['guest log']);
  });
  it('says why for one whose kernel is gone', () => {
    expect(runL({ live: false, kernelRuns: false })).toEqual(['flash select an instance whose kernel runs first']);
  });
});
