// Print the README's key table from the action table (dist/), so docs and keys cannot drift.
import { keyLabel } from '../dist/ui/keys/keymap.js';
import { ACTIONS } from '../dist/ui/keys/table.js';

const scopes = {
  main: 'main view',
  filter: 'typing a filter',
  prompt: 'dialog, typing',
  dialog: 'dialog, yes/no',
  output: 'output pane',
  help: 'help screen',
};
console.log('| keys | action | where |\n| --- | --- | --- |');
for (const a of ACTIONS) {
  console.log(
    `| ${a.keys.map((k) => `\`${keyLabel(k)}\``).join(' ')} | ${a.description} | ${a.scopes.map((s) => scopes[s]).join(', ')} |`,
  );
}
