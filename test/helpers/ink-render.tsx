// ink-testing-library's render, on a terminal of a given width. Its stdout claims 100 columns;
// the Ink fork's Output (swapped in for the tests as for the binary) drops what is wider than the
// terminal, as a real one would wrap it: a pane drawn 120 wide needs a 120-column terminal.
import { Box } from 'ink';
import { render as renderOnTestTerminal } from 'ink-testing-library';
import type { ReactElement } from 'react';

export function render(node: ReactElement, columns = 120): ReturnType<typeof renderOnTestTerminal> {
  const r = renderOnTestTerminal(<Box />);
  Object.defineProperty(r.stdout, 'columns', { value: columns });
  r.rerender(node);
  return r;
}
