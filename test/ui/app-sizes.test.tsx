// The whole screen at every terminal size a person may shrink it to: each pane gets what is left
// (down to its border and title) and nothing throws. A 100x15 terminal with 10 instances once
// left the CPU chart no rows and the TUI showed a stack trace instead of a screen.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App, type Controller } from '../../src/ui/app.js';
import type { Pane } from '../../src/ui/view-state.js';
import { makeTheme } from '../../src/ui/theme.js';
import { fixtureStore } from '../helpers/fixture-store.js';

const controller: Controller = { stepInterval: () => 1000, quit: () => {}, redraw: () => {} };
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('the screen at small sizes', () => {
  for (const ascii of [false, true]) {
    it(`every height from 3 to 30 rows and widths 20 to 120${ascii ? ' (--ascii)' : ''}: a screen, no error`, () => {
      const { store } = fixtureStore({ extraUmids: Array.from({ length: 8 }, (_, i) => `extra-${i}`) });
      const theme = makeTheme({ color: true, ascii });
      for (const columns of [20, 40, 80, 120]) {
        for (let rows = 3; rows <= 30; rows++) {
          for (const zoom of [undefined, 'cpu', 'interrupts'] as Array<Pane | undefined>) {
            const view = zoom ? { focus: zoom, zoomed: true } : {};
            const r = render(<App store={store} columns={columns} rows={rows} theme={theme} controller={controller} initialView={view} />);
            const frame = strip(r.lastFrame() ?? '');
            r.unmount();
            expect(frame, `${columns}x${rows}${zoom ? ` zoomed ${zoom}` : ''}`).not.toMatch(/ERROR|Cannot read|at [A-Za-z]+ \(/);
            expect(frame, `${columns}x${rows}`).toMatch(/umltop/);
          }
        }
      }
    });
  }
});
