// What a dialog's keys work with: the controller (effects), whether writes are allowed, and the view
// state's dispatch. Pure apart from what the controller does.
import type { Controller } from '../../actions/controller.js';
import type { ViewAction } from '../view-state.js';
import type { Prompt } from './types.js';

export interface DialogEnv {
  controller: Controller;
  /** Whether writing to instances is allowed (the keymap's answer). */
  keymap: { readonly writes: boolean };
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
