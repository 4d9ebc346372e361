// What the action table's run() functions get from the App: the frame on screen, the view state
// as the previous key left it, the controller, and Enter / y handed to the open dialog.
import type { ActionContext } from '../actions/action.js';
import type { Controller } from '../actions/controller.js';
import type { Keymap } from '../actions/keymap.js';
import { confirmDialog, submitDialog } from './dialogs/index.js';
import type { DialogEnv } from './dialogs/env.js';
import type { FrameModel } from './frame-model.js';
import type { ViewAction, ViewState } from './view-state.js';

export interface ContextDeps {
  frame: FrameModel;
  /** The view state the previous key produced (keys arrive faster than renders). */
  latest(): ViewState;
  dispatch(a: ViewAction): void;
  controller: Controller;
  keymap: Keymap;
  outputLines: string[];
  /** Rows of the terminal (for page moves). */
  rows: number;
  helpOverflow(): number;
}

export function actionContext(o: ContextDeps): ActionContext {
  const { frame, dispatch, controller } = o;
  const selectedRow = () => (frame.selectedKey ? frame.rows.find((x) => x.key === frame.selectedKey) : undefined);
  const env: DialogEnv = { controller, keymap: o.keymap, dispatch, outputLines: () => o.outputLines };
  return {
    dispatch,
    visibleKeys: () => frame.rows.map((r) => r.key),
    stepInterval: (d) => controller.stepInterval(d),
    quit: () => controller.quit(),
    redraw: () => {
      controller.redraw();
      dispatch({ type: 'redraw' });
    },
    selected: () => {
      const r = selectedRow();
      return r ? { key: r.key, umid: r.umid, live: r.state === 'running' || r.state === 'stopped' } : undefined;
    },
    outputLines: () => o.outputLines,
    outputPage: () => Math.max(1, o.rows - 8),
    selectedPaused: () => selectedRow()?.state === 'stopped',
    replay: (what) => {
      const r = controller.replay;
      if (r) dispatch({ type: 'flash', text: r[what]() });
    },
    bundle: (key) => {
      void controller
        .bundle(key)
        .then((dir) =>
          dispatch({ type: 'flash', text: dir ? `crash bundle: ${dir}` : 'crash bundle failed (see events)' }),
        );
    },
    loadSysrqLetters: (key) => {
      const id = o.latest().dialog?.id;
      void controller.sysrqLetters(key).then((letters) => {
        if (letters && id !== undefined)
          dispatch({
            type: 'dialog-update',
            id,
            update: (d) => (d.kind === 'sysrq' && d.key === key ? { ...d, letters } : d),
          });
      });
    },
    helpOverflow: o.helpOverflow,
    submit: () => {
      const d = o.latest().dialog;
      if (d) submitDialog(env, d);
    },
    confirm: () => {
      const d = o.latest().dialog;
      if (d) confirmDialog(env, d);
    },
  };
}
