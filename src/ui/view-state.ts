// Widget state, apart from data: selection, focus, zoom, filter, sort, pause, help.
// A pure reducer; the action table dispatches into it.

export const PANES = ['table', 'cpu', 'memory', 'interrupts', 'events'] as const;
export type Pane = (typeof PANES)[number];
export type SortKey = 'name' | 'cpu' | 'mem' | 'irq';

export interface ViewState {
  selectedKey?: string;
  focus: Pane;
  zoomed: boolean;
  filter: string;
  filterEditing: boolean;
  sort: SortKey;
  reverse: boolean;
  paused: boolean;
  help: boolean;
  /** Bumped by ctrl-l to force a full redraw. */
  redraw: number;
  /** One line of feedback in the footer (interval changed, etc.). */
  flash?: string;
  dialog?: MemDialog;
}

export interface MemDialog {
  kind: 'mem';
  key: string;
  umid: string;
  input: string;
  stage: 'input' | 'planning' | 'confirm' | 'running' | 'done';
  /** What will happen (confirm stage) or what happened (done stage). */
  message?: string;
  warning?: string;
  error?: string;
  progress?: string;
}

export const initialViewState: ViewState = {
  focus: 'table', zoomed: false, filter: '', filterEditing: false, sort: 'name', reverse: false, paused: false, help: false, redraw: 0,
};

export type ViewAction =
  | { type: 'select'; key: string | undefined }
  | { type: 'move'; delta: number; keys: string[] }
  | { type: 'focus'; delta: number }
  | { type: 'zoom' }
  | { type: 'filter-start' }
  | { type: 'filter-input'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-accept' }
  | { type: 'escape' }
  | { type: 'sort'; by: SortKey }
  | { type: 'reverse' }
  | { type: 'pause' }
  | { type: 'help'; open?: boolean }
  | { type: 'redraw' }
  | { type: 'flash'; text?: string }
  | { type: 'dialog-open'; key: string; umid: string }
  | { type: 'dialog-input'; text: string }
  | { type: 'dialog-backspace' }
  | { type: 'dialog-update'; patch: Partial<MemDialog> }
  | { type: 'dialog-close' };

export function viewReducer(s: ViewState, a: ViewAction): ViewState {
  switch (a.type) {
    case 'select': return { ...s, selectedKey: a.key };
    case 'move': {
      if (a.keys.length === 0) return s;
      const i = Math.max(0, a.keys.indexOf(s.selectedKey ?? ''));
      const j = Math.min(a.keys.length - 1, Math.max(0, i + a.delta));
      return { ...s, selectedKey: a.keys[j] };
    }
    case 'focus': {
      const i = PANES.indexOf(s.focus);
      return { ...s, focus: PANES[(i + a.delta + PANES.length) % PANES.length]! };
    }
    case 'zoom': return { ...s, zoomed: !s.zoomed };
    case 'filter-start': return { ...s, filterEditing: true };
    case 'filter-input': return { ...s, filter: (s.filter + a.text).slice(0, 64) };
    case 'filter-backspace': return { ...s, filter: [...s.filter].slice(0, -1).join('') };
    case 'filter-accept': return { ...s, filterEditing: false };
    case 'escape':
      // Esc closes the innermost thing: help, then the filter, then zoom.
      if (s.help) return { ...s, help: false };
      if (s.filterEditing || s.filter) return { ...s, filter: '', filterEditing: false };
      if (s.zoomed) return { ...s, zoomed: false };
      return s;
    case 'sort': return s.sort === a.by ? { ...s, reverse: !s.reverse } : { ...s, sort: a.by, reverse: false };
    case 'reverse': return { ...s, reverse: !s.reverse };
    case 'pause': return { ...s, paused: !s.paused };
    case 'help': return { ...s, help: a.open ?? !s.help };
    case 'redraw': return { ...s, redraw: s.redraw + 1 };
    case 'flash': return { ...s, flash: a.text };
    case 'dialog-open': return { ...s, dialog: { kind: 'mem', key: a.key, umid: a.umid, input: '', stage: 'input' } };
    case 'dialog-input': return s.dialog && s.dialog.stage === 'input' ? { ...s, dialog: { ...s.dialog, input: (s.dialog.input + a.text).slice(0, 16), error: undefined } } : s;
    case 'dialog-backspace': return s.dialog && s.dialog.stage === 'input' ? { ...s, dialog: { ...s.dialog, input: [...s.dialog.input].slice(0, -1).join(''), error: undefined } } : s;
    case 'dialog-update': return s.dialog ? { ...s, dialog: { ...s.dialog, ...a.patch } } : s;
    case 'dialog-close': return s.dialog && (s.dialog.stage === 'running' || s.dialog.stage === 'planning') ? s : { ...s, dialog: undefined };
  }
}
