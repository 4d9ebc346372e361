// Enter and y on the open dialog, handed to the file of its kind. A shown result closes on Enter.
import type { DialogEnv } from './env.js';
import { submitCommand } from './command.js';
import { confirmConfirm, submitConfirm } from './confirm.js';
import { confirmDisk, confirmSwitch, submitDisk } from './disk.js';
import { submitLadder } from './ladder.js';
import { confirmMem, submitMem } from './mem.js';
import type { Prompt } from './types.js';

/** Enter: what was typed, or the shown result acknowledged. */
export function submitDialog(env: DialogEnv, d: Prompt): void {
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
export function confirmDialog(env: DialogEnv, d: Prompt): void {
  if (d.kind === 'mem') confirmMem(env, d);
  else if (d.kind === 'confirm') confirmConfirm(env, d);
  else if (d.kind === 'disk') confirmDisk(env, d);
  else if (d.kind === 'switch') confirmSwitch(env, d);
}
