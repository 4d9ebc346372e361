// Whether the Ink this build loads draws through the fork: one frame rendered to a stream, then
// the fork's Output and measureText asked whether they built and measured it. Bundled as
// dist/bundle/ink-fork-check.mjs, which the packaging test runs.
import { Writable } from 'node:stream';
import { render, Text } from 'ink';
import { createElement } from 'react';
import { measuredCount } from './measure-text.js';
import { builtRows } from './output.js';

export async function inkForkCheck(): Promise<{ output: boolean; measureText: boolean }> {
  let frame = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        // Ink 6.8 writes an empty chunk on unmount: the frame is the last one with text
        if (String(chunk)) frame = String(chunk);
        done();
      },
    }),
    { columns: 40, rows: 5 },
  ) as unknown as NodeJS.WriteStream;
  const measured = measuredCount();
  const ink = render(createElement(Text, null, 'ink fork check'), { stdout, debug: true, patchConsole: false });
  await new Promise((r) => setTimeout(r, 20));
  ink.unmount();
  return { output: builtRows(frame) !== undefined, measureText: measuredCount() > measured };
}
