// The root component: view state, the frame from the store, and keys. Each key goes through the
// keymap to an action's run(), which changes the view state, answers the open dialog or calls the
// controller. Data comes in as a store (read-only here); the component opens no sockets, starts no
// timers, reads no files.
import { useMemo } from 'react';
import type { Controller } from '../actions/controller.js';
import type { Store } from '../state/store.js';
import { sanitize, sanitizeLine } from '../text/sanitize.js';
import { actionContext } from './action-context.js';
import { typing } from './dialogs/types.js';
import type { ActionContext, Scope } from './keys/action.js';
import { type Key, type Keymap, makeKeymap } from './keys/keymap.js';
import type { FrameModel } from './frame-model.js';
import { helpLayout } from './panes/help.js';
import { Screen } from './screen.js';
import type { Theme } from './theme.js';
import { useFrame } from './use-frame.js';
import { useKeys } from './use-keys.js';
import { useViewState } from './use-view-state.js';
import { layoutFor } from './view-model.js';
import type { ViewAction, ViewState } from './view-state.js';

export interface AppProps {
  store: Store;
  columns: number;
  rows: number;
  theme: Theme;
  controller: Controller;
  /** The keys bound for this run (read-only and replay decided there); default: as shipped, read-write. */
  keymap?: Keymap;
  /** Store changes with gaps under this many ms make one render (0: render on every change)... */
  coalesceMs?: number;
  /** ...drawn at the latest this long after the first of them. */
  coalesceMaxMs?: number;
  initialView?: Partial<ViewState>;
  /** Extra lines for the help screen (e.g. how to start instances with notify). */
  helpNotes?: string[];
  timeZone?: string;
  /** Observe each raw input chunk (debug logging is wired outside the component). */
  onKey?: (raw: string) => void;
  /** False while the terminal is handed to a guest console: the keyboard is the console's. */
  inputActive?: boolean;
}

const DEFAULT_KEYMAP = makeKeymap();

/** Where keys go now: the innermost thing open. */
function scopeOf(v: ViewState): Scope {
  if (v.dialog) return typing(v.dialog) ? 'prompt' : 'dialog';
  return v.help ? 'help' : v.output ? 'output' : v.filterEditing ? 'filter' : 'main';
}

export function App(p: AppProps) {
  const keymap = p.keymap ?? DEFAULT_KEYMAP;
  const { view, latest, dispatch } = useViewState(p.initialView);
  // rows past the terminal's height are never on screen: the frame dresses no more than that
  const frame = useFrame(p.store, view, dispatch, { ms: p.coalesceMs, maxMs: p.coalesceMaxMs }, p.rows);
  const L = layoutFor(p.columns, p.rows, frame.rows.length);
  // guest text, sanitized once per output (not on every redraw)
  const outputLines = useMemo(
    () => (view.output ? sanitize(view.output.text, { multiline: true }).replace(/^\n/, '').split('\n') : []),
    [view.output?.text],
  );
  const ctx = actionContext({
    frame,
    latest,
    dispatch,
    controller: p.controller,
    keymap,
    outputLines,
    rows: p.rows,
    helpOverflow: () => helpLayout(L.width, L.height - 2, (p.helpNotes ?? []).length, keymap, p.theme.ascii).overflow,
  });
  useKeys((keys, raw) => {
    p.onKey?.(raw);
    dispatchKeys(keys, { keymap, frame, latest, dispatch, ctx });
  }, p.inputActive !== false);
  return (
    <Screen
      frame={frame}
      view={view}
      layout={L}
      scope={scopeOf(view)}
      keymap={keymap}
      theme={p.theme}
      outputLines={outputLines}
      helpNotes={p.helpNotes ?? []}
      timeZone={p.timeZone}
    />
  );
}

/** Each key in the scope the keys before it left (a chunk may open a dialog and type into it). */
function dispatchKeys(
  keys: Key[],
  o: {
    keymap: Keymap;
    frame: FrameModel;
    latest: () => ViewState;
    dispatch: (a: ViewAction) => void;
    ctx: ActionContext;
  },
): void {
  for (const { name, text } of keys) {
    const current = scopeOf(o.latest());
    const action = o.keymap.find(current, name);
    if (action?.local && current === 'main') {
      const host = o.frame.rows.find((x) => x.key === o.frame.selectedKey)?.cells.host;
      if (host && host !== 'local') {
        o.dispatch({
          type: 'flash',
          text: `${host}: watched over ssh, read-only here; steer it with umltop on ${host}`,
        });
        continue;
      }
    }
    if (action) {
      if (o.latest().flash && !/^(view\.interval|replay\.)/.test(action.id)) o.dispatch({ type: 'flash' });
      action.run(o.ctx);
      continue;
    }
    const clean = text ? sanitizeLine(text) : '';
    if (current === 'filter' && clean) o.dispatch({ type: 'filter-input', text: clean });
    if (current === 'prompt' && text) o.dispatch({ type: 'dialog-input', text: clean });
  }
}
