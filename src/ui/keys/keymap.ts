// The keys bound for one run of the TUI: the action table with the config file's bindings, minus
// what the mode forbids. Read-only is decided here, once: an action that writes is not bound
// (k9s does the same with its dangerous keys), so it is neither dispatched nor shown.
import type { Action, Scope } from './action.js';
import { ACTIONS } from './table.js';

export interface KeymapMode {
  /** --read-only: watch without writing. */
  readOnly?: boolean;
  /** Replaying a recording: replay keys on, and nothing to write to. */
  replay?: boolean;
}

export interface Keymap {
  /** Whether writing to instances is allowed (the command line asks before running a write). */
  readonly writes: boolean;
  readonly readOnly: boolean;
  readonly replay: boolean;
  actionsFor(scope: Scope): Action[];
  find(scope: Scope, key: string): Action | undefined;
}

export function makeKeymap(mode: KeymapMode = {}, table: Action[] = ACTIONS): Keymap {
  const replay = Boolean(mode.replay);
  const writes = !mode.readOnly && !replay;
  const bound = table.filter((a) => (writes || !a.write) && Boolean(a.replay) === (replay && Boolean(a.replay)));
  const byScope = new Map<Scope, Action[]>();
  for (const a of bound) for (const s of a.scopes) byScope.set(s, [...(byScope.get(s) ?? []), a]);
  return {
    writes,
    readOnly: Boolean(mode.readOnly),
    replay,
    actionsFor: (scope) => byScope.get(scope) ?? [],
    find: (scope, key) => byScope.get(scope)?.find((a) => a.keys.includes(key)),
  };
}
