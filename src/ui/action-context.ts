// What the action table's run() functions get from the App: the frame on screen, the view state
// as the previous key left it, the controller, and Enter / y handed to the open dialog.
import type { ActionContext } from './keys/action.js';
import type { Controller } from '../actions/controller.js';
import type { Keymap } from './keys/keymap.js';
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
      if (!r) return undefined;
      const live = r.state === 'running' || r.state === 'stopped';
      return { key: r.key, umid: r.umid, live, kernelRuns: live || r.state === 'unresponsive' };
    },
    outputLines: () => o.outputLines,
    outputPage: () => Math.max(1, o.rows - 8),
    selectedPaused: () => selectedRow()?.state === 'stopped',
    advice: () => frame.advice,
    headroom: () => frame.headroom,
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
    guest: (what) => guestAction(o, what, selectedRow()),
    helpOverflow: o.helpOverflow,
    view: o.latest,
    dialogs: env,
  };
}

/** The selected guest's console, tasks, log and disks, through the controller's GuestController. */
function guestAction(
  o: ContextDeps,
  what: Parameters<ActionContext['guest']>[0],
  row: { key: string; umid: string } | undefined,
): void {
  const g = o.controller.guest;
  if (what === 'stopFollow') {
    g?.stopFollow();
    return;
  }
  if (!row) return;
  if (!g) {
    o.dispatch({ type: 'flash', text: 'not while replaying a recording' });
    return;
  }
  const { key, umid } = row;
  const fail = (e: unknown) => o.dispatch({ type: 'flash', text: `${umid}: ${(e as Error).message}` });
  switch (what) {
    case 'console':
      void g.console(key).then((r) => {
        if (r.offer) {
          const { line, channel } = r.offer;
          o.dispatch({
            type: 'dialog-open',
            dialog: { kind: 'switch', key, umid, stage: 'confirm', line, channel, lines: r.message },
          });
        } else if (!r.ok) o.dispatch({ type: 'flash', text: r.message.split('\n')[0]! }); // back as it was: nothing to say
      }, fail);
      return;
    case 'tasks':
      o.dispatch({ type: 'flash', text: `${umid}: reading its tasks (sysrq t)…` });
      void g.tasks(key).then((r) => {
        o.dispatch({
          type: 'output-show',
          output: { title: r.title, text: r.text, complete: r.complete, note: r.note },
        });
        o.dispatch({ type: 'flash', text: '' });
      }, fail);
      return;
    case 'log': {
      const page = Math.max(1, o.rows - 8);
      let opened = false;
      const error = g.followLog(key, (f) => {
        const tail = Math.max(0, f.text.replace(/\n$/, '').split('\n').length - page);
        if (opened) o.dispatch({ type: 'output-text', title: f.title, text: f.text, tail });
        else
          o.dispatch({
            type: 'output-show',
            output: { title: f.title, text: f.text, complete: true, follow: true, tail },
          });
        opened = true;
      });
      if (error) o.dispatch({ type: 'flash', text: error });
      return;
    }
    case 'disks': {
      o.dispatch({ type: 'dialog-open', dialog: { kind: 'disk', key, umid, stage: 'input' } });
      const id = o.latest().dialog?.id;
      void g.disks(key).then((disks) => {
        if (id !== undefined)
          o.dispatch({
            type: 'dialog-update',
            id,
            update: (d) => (d.kind === 'disk' ? { ...d, disks: disks.length ? disks : ['no disks'] } : d),
          });
      }, fail);
      return;
    }
  }
}
