// The one action table: every key umltop answers to, with its description and scope. It drives
// the key dispatch (through a keymap), the help screen, the footer legend, the man page and the
// README's key table, so they can never disagree.
import type { Action } from './action.js';
import { DIALOG_ACTIONS } from '../dialogs/index.js';
import { OUTPUT_ACTIONS } from './table-output.js';
import { INSTANCE_ACTIONS } from './table-instance.js';
import { VIEW_ACTIONS } from './table-view.js';

export const ACTIONS: Action[] = [...VIEW_ACTIONS, ...INSTANCE_ACTIONS, ...DIALOG_ACTIONS, ...OUTPUT_ACTIONS];

/** The table with some actions' keys replaced; or the clashes it would make (one line each). */
export function withKeyBindings(
  table: Action[],
  bindings: Record<string, string[]>,
): { table: Action[]; clashes: { id: string; message: string }[] } {
  const next = table.map((a) => (bindings[a.id] ? { ...a, keys: bindings[a.id]! } : a));
  const clashes: { id: string; message: string }[] = [];
  for (const a of next) {
    if (!bindings[a.id]) continue;
    for (const b of next) {
      // Replay keys are live only when replaying, and writing actions never are then.
      if (b === a || (a.replay && b.write) || (b.replay && a.write)) continue;
      const scope = a.scopes.find((s) => b.scopes.includes(s));
      const key = a.keys.find((k) => b.keys.includes(k));
      if (scope && key)
        clashes.push({ id: a.id, message: `'${key}' is already ${b.id} (${scope} view); rebind that one too` });
    }
  }
  return { table: next, clashes };
}
