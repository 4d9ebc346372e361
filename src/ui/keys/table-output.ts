// The action table's part for the output pane (a captured reply or a followed console log).
import type { Action } from './action.js';

export const OUTPUT_ACTIONS: Action[] = [
  {
    id: 'output.up',
    keys: ['up', 'k'],
    description: 'Scroll the output up',
    scopes: ['output'],
    footer: 'scroll',
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -1, lines: c.outputLines().length }),
  },
  {
    id: 'output.down',
    keys: ['down', 'j'],
    description: 'Scroll the output down',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: 1, lines: c.outputLines().length }),
  },
  {
    id: 'output.page-up',
    keys: ['pageup', 'b'],
    description: 'Output: a page up',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -c.outputPage(), lines: c.outputLines().length }),
  },
  {
    id: 'output.page-down',
    keys: ['pagedown', 'space'],
    description: 'Output: a page down',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: c.outputPage(), lines: c.outputLines().length }),
  },
  {
    id: 'output.top',
    keys: ['home', 'g'],
    description: 'Output: the top',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -1e9, lines: c.outputLines().length }),
  },
  {
    id: 'output.bottom',
    keys: ['end', 'G'],
    description: 'Output: the end',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: 1e9, lines: c.outputLines().length }),
  },
  {
    id: 'output.search',
    keys: ['/'],
    description: 'Search the output',
    scopes: ['output'],
    footer: 'search',
    run: (c) => c.dispatch({ type: 'dialog-open', dialog: { kind: 'search', key: '', umid: '', stage: 'input' } }),
  },
  {
    id: 'output.next',
    keys: ['n'],
    description: 'Next match',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-next', lines: c.outputLines() }),
  },
  {
    id: 'output.close',
    keys: ['escape', 'q'],
    description: 'Close the output',
    scopes: ['output'],
    footer: 'close',
    run: (c) => {
      c.guest('stopFollow');
      c.dispatch({ type: 'output-close' });
    },
  },
  { id: 'output.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['output'], run: (c) => c.quit() },
];
