// The keys of dialogs (typing, answering), bound here next to what they do: Enter and y go to the
// open dialog's file of its kind, which calls the controller. A shown result closes on Enter.
import type { Action } from '../keys/action.js';
import type { DialogEnv } from './env.js';
import { submitCommand } from './command.js';
import { confirmConfirm, submitConfirm } from './confirm.js';
import { confirmDisk, confirmSwitch, submitDisk } from './disk.js';
import { submitLadder } from './ladder.js';
import { confirmMem, submitMem } from './mem.js';
import type { Prompt } from './types.js';

/** Enter: what was typed, or the shown result acknowledged. */
export function submitDialog(env: DialogEnv, d: Prompt | undefined): void {
  if (!d) return;
  if (d.stage === 'done') {
    env.dispatch({ type: 'dialog-close' });
    return;
  }
  switch (d.kind) {
    case 'search': {
      const text = d.input.trim();
      env.dispatch({ type: 'dialog-close' });
      if (text) env.dispatch({ type: 'output-search', search: text, lines: env.outputLines() });
      return;
    }
    case 'mem':
      submitMem(env, d);
      return;
    case 'command':
    case 'sysrq':
      submitCommand(env, d);
      return;
    case 'confirm':
      submitConfirm(env, d);
      return;
    case 'ladder':
      submitLadder(env, d);
      return;
    case 'disk':
      submitDisk(env, d);
      return;
    case 'switch':
      return;
  }
}

/** y: the question the dialog asks, answered yes. */
export function confirmDialog(env: DialogEnv, d: Prompt | undefined): void {
  if (d?.kind === 'mem') confirmMem(env, d);
  else if (d?.kind === 'confirm') confirmConfirm(env, d);
  else if (d?.kind === 'disk') confirmDisk(env, d);
  else if (d?.kind === 'switch') confirmSwitch(env, d);
}

export const DIALOG_ACTIONS: Action[] = [
  {
    id: 'prompt.submit',
    keys: ['enter'],
    description: 'Enter what was typed',
    scopes: ['prompt'],
    footer: 'ok',
    run: (c) => submitDialog(c.dialogs, c.view().dialog),
  },
  {
    id: 'prompt.cancel',
    keys: ['escape'],
    description: 'Cancel',
    scopes: ['prompt'],
    footer: 'cancel',
    run: (c) => c.dispatch({ type: 'dialog-close' }),
  },
  {
    id: 'prompt.backspace',
    keys: ['backspace'],
    description: 'Delete the last character',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-backspace' }),
  },
  {
    id: 'prompt.history-back',
    keys: ['up'],
    description: 'Previous command (command line)',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-history', delta: -1 }),
  },
  {
    id: 'prompt.history-forward',
    keys: ['down'],
    description: 'Next command (command line)',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-history', delta: 1 }),
  },
  { id: 'prompt.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['prompt'], run: (c) => c.quit() },
  {
    id: 'dialog.confirm',
    keys: ['y'],
    description: 'Yes: do it',
    scopes: ['dialog'],
    footer: 'yes',
    run: (c) => confirmDialog(c.dialogs, c.view().dialog),
  },
  {
    id: 'dialog.cancel',
    keys: ['n', 'escape'],
    description: 'No / close',
    scopes: ['dialog'],
    footer: 'no/close',
    run: (c) => c.dispatch({ type: 'dialog-close' }),
  },
  {
    id: 'dialog.acknowledge',
    keys: ['enter'],
    description: 'Close a shown result',
    scopes: ['dialog'],
    run: (c) => submitDialog(c.dialogs, c.view().dialog),
  },
  { id: 'dialog.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['dialog'], run: (c) => c.quit() },
];
