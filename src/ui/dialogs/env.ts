// What a dialog's submit and confirm work with: the controller (effects), the keymap (whether
// writes are allowed), and the view state's dispatch. Pure apart from what the controller does.
import type { Controller } from '../../actions/controller.js';
import type { Keymap } from '../keys/keymap.js';
import type { ViewAction } from '../view-state.js';
import type { Prompt } from './types.js';

export interface DialogEnv {
  controller: Controller;
  keymap: Keymap;
  dispatch(a: ViewAction): void;
  /** Lines of the output pane (the search dialog searches them). */
  outputLines(): string[];
}

/** A step of dialog `d` (later answers land only on the dialog they belong to). */
export function update<P extends Prompt>(env: DialogEnv, d: P, next: (d: P) => Prompt): void {
  env.dispatch({ type: 'dialog-update', id: d.id, update: (cur) => next(cur as P) });
}

/** The umid typed to confirm? Otherwise say so and clear the field. */
export function typedUmid(env: DialogEnv, d: Prompt): boolean {
  if (d.input.trim() === d.umid) return true;
  update(env, d, (cur) => ({ ...cur, error: `type the umid exactly (${d.umid}) to confirm`, input: '' }));
  return false;
}

/** Run an mconsole command for the dialog: a reply with text opens the output pane, else the result is shown. */
export function runCommand(env: DialogEnv, d: Prompt, command: string): void {
  update(env, d, (cur) => ({ ...cur, stage: 'running', input: '' }) as Prompt);
  void env.controller.runCommand(d.key, command).then((r) => {
    if (r.text.trim() === '' || !r.ok) {
      const message = r.ok ? `${command}: OK` : `${command}: ${r.text}`;
      update(env, d, (cur) => ({ ...cur, stage: 'done', message, error: r.ok ? undefined : r.text }) as Prompt);
    } else {
      env.dispatch({ type: 'dialog-close', force: true });
      env.dispatch({
        type: 'output-show',
        output: { title: `${d.umid}: ${command}`, text: r.text, complete: r.complete, note: r.note },
      });
    }
  });
}
