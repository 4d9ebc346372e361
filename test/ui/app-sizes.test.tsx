// The whole screen at every terminal size a person may shrink it to: each pane gets what is left
// (down to its border and title), nothing throws, and the header stays (the help screen has its
// own). A 100x15 terminal with 10 instances once left the CPU chart no rows and the TUI showed a
// stack trace instead of a screen; at 3-4 rows a dialog or output pushed the header off; at
// 13-14 rows (6-7 zoomed) the CPU pane's two lines of figures pushed its own title out.
import { render } from '../helpers/ink-render.js';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import type { Pane, ViewState } from '../../src/ui/view-state.js';
import { makeTheme } from '../../src/ui/theme.js';
import { idleController } from '../helpers/controller.js';
import { fixtureStore } from '../helpers/fixture-store.js';
import { waitFor } from '../helpers/wait.js';

const controller = idleController;
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

const longText = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(i * 3)}`).join('\n');
const VIEWS: Array<[string | undefined, Partial<ViewState>]> = [
  [undefined, {}],
  ...(['cpu', 'interrupts', 'memory', 'events', 'table'] as Pane[]).map((focus): [string, Partial<ViewState>] => [
    `zoomed ${focus}`,
    { focus, zoomed: true },
  ]),
  ['help', { help: true }],
  ['output', { output: { title: 'web-1: sysrq t', text: longText, complete: true, scroll: 0 } }],
  [
    'memory dialog',
    {
      dialog: {
        id: 1,
        kind: 'mem',
        key: '/root/.uml/web-1',
        umid: 'web-1',
        input: '-64M',
        stage: 'confirm',
        message: 'Take 64 MiB',
        warning: 'under the safety margin',
      },
    },
  ],
  [
    'ladder dialog',
    {
      dialog: {
        id: 1,
        kind: 'ladder',
        key: '/root/.uml/web-1',
        umid: 'web-1',
        input: '',
        stage: 'typed',
        step: 1,
        log: ['cad: OK', 'halt: no answer'],
      },
    },
  ],
  [
    'search',
    {
      output: { title: 'web-1: stack', text: longText, complete: true, scroll: 5 },
      dialog: { id: 1, kind: 'search', key: '/root/.uml/web-1', umid: 'web-1', input: 'line 4', stage: 'input' },
    },
  ],
];

describe('the screen at small sizes', () => {
  for (const ascii of [false, true]) {
    it(`every height from 3 to 30 rows and widths 20 to 120, zoomed, with help, output or a dialog${ascii ? ' (--ascii)' : ''}: a screen, no error`, () => {
      const { store } = fixtureStore({ extraUmids: Array.from({ length: 8 }, (_, i) => `extra-${i}`) });
      const theme = makeTheme({ color: true, ascii });
      const bad: string[] = [];
      for (const columns of [20, 40, 80, 120]) {
        for (const [label, view] of VIEWS) {
          // one Ink instance per width and view, re-rendered at each height (as a resize does)
          const app = (rows: number) => (
            <App store={store} columns={columns} rows={rows} theme={theme} controller={controller} initialView={view} />
          );
          const r = render(app(3));
          for (let rows = 3; rows <= 30; rows++) {
            r.rerender(app(rows));
            const frame = strip(r.lastFrame() ?? '');
            const at = `${columns}x${rows}${label ? ` ${label}` : ''}`;
            if (/ERROR|Cannot read|at [A-Za-z]+ \(/.test(frame)) bad.push(`${at}: an error`);
            else if (label !== 'help' && !/umltop/.test(frame)) bad.push(`${at}: no header`);
            // a pane that is drawn keeps its title: its lines may not push it out
            else if (!label && /Memory [·-]/.test(frame) && !/CPU [·-]/.test(frame))
              bad.push(`${at}: CPU pane without its title`);
            else if (!label && frame.includes('Events') && !frame.includes('Interr'))
              bad.push(`${at}: interrupts pane without its title`);
            else if (label === 'zoomed cpu' && rows >= 6 && !/CPU [·-]/.test(frame))
              bad.push(`${at}: zoomed CPU pane without its title`);
          }
          r.unmount();
        }
      }
      expect(bad).toEqual([]);
    });
  }
});

describe('the selection', () => {
  it('stays with its instance when the order changes, even if it was never moved (the default first row)', async () => {
    const { store } = fixtureStore();
    const theme = makeTheme({ color: false, ascii: false });
    const r = render(
      <App store={store} columns={120} rows={30} theme={theme} controller={controller} initialView={{ sort: 'cpu' }} />,
    );
    const selectedRow = () =>
      strip(r.lastFrame() ?? '')
        .split('\n')
        .find((l) => l.startsWith('▶'));
    const rowsNow = () => strip(r.lastFrame() ?? '').split('\n');
    await waitFor(() => selectedRow() !== undefined, 2000, 'a selected row');
    expect(selectedRow()).toMatch(/build-2/); // busiest first
    r.stdin.write('r'); // reverse: build-2 is now last
    const below = (l: string[]) => l.findIndex((x) => /^ +web-1 /.test(x)) < l.findIndex((x) => / build-2 /.test(x));
    await waitFor(() => below(rowsNow()), 2000, 'the order to reverse');
    const rows = rowsNow();
    expect(rows.findIndex((l) => /^ +web-1 /.test(l))).toBeLessThan(rows.findIndex((l) => /^▶ +build-2 /.test(l))); // the order did change
    expect(selectedRow()).toMatch(/build-2/);
    r.unmount();
  });
});
