// Widget state, apart from data: selection, focus, zoom, filter, sort, pause, help, the open
// dialog. A pure reducer; the action table dispatches into it.
import { busy, type NewPrompt, type Prompt, typing } from './dialogs/types.js';

export const PANES = ['table', 'cpu', 'memory', 'io', 'interrupts', 'events'] as const;
export type Pane = (typeof PANES)[number];
export type SortKey = 'name' | 'cpu' | 'mem' | 'irq' | 'disk' | 'net';

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
  helpScroll: number;
  /** Bumped by ctrl-l to force a full redraw. */
  redraw: number;
  /** One line of feedback in the footer (interval changed, etc.). */
  flash?: string;
  dialog?: Prompt;
  /** Dialogs opened so far (each gets the next number as its id). */
  dialogs: number;
  output?: Output;
  /** Raw commands typed at ':' this session, newest last. */
  history: string[];
}

/** The output pane: a captured reply (sysrq, stack, raw commands), scrollable and searchable. */
export interface Output {
  title: string;
  text: string;
  complete: boolean;
  scroll: number;
  search?: string;
  note?: string;
  /** A console log being followed: new text arrives with output-text. */
  follow?: boolean;
  /** The scroll that shows the end; while the view is there, it stays at the end as text arrives. */
  tail?: number;
}

export const initialViewState: ViewState = {
  focus: 'table',
  zoomed: false,
  filter: '',
  filterEditing: false,
  sort: 'name',
  reverse: false,
  paused: false,
  help: false,
  helpScroll: 0,
  redraw: 0,
  dialogs: 0,
  history: [],
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
  | { type: 'help-scroll'; delta: number; max: number }
  | { type: 'redraw' }
  | { type: 'flash'; text?: string }
  | { type: 'dialog-open'; dialog: NewPrompt }
  | { type: 'dialog-input'; text: string }
  | { type: 'dialog-backspace' }
  /** A step of the dialog `id` (ignored once another dialog is open): `update` is pure. */
  | { type: 'dialog-update'; id: number; update: (d: Prompt) => Prompt }
  | { type: 'dialog-history'; delta: number }
  | { type: 'dialog-close'; force?: boolean }
  | { type: 'history-add'; command: string }
  | { type: 'output-show'; output: Omit<Output, 'scroll'> }
  | { type: 'output-scroll'; delta: number; lines: number }
  | { type: 'output-search'; search: string; lines: string[] }
  | { type: 'output-next'; lines: string[] }
  | { type: 'output-text'; title: string; text: string; tail: number }
  | { type: 'output-close' };

export function viewReducer(s: ViewState, a: ViewAction): ViewState {
  if (a.type.startsWith('dialog-') || a.type === 'history-add') return dialogReducer(s, a as DialogAction);
  if (a.type.startsWith('output-')) return outputReducer(s, a as OutputAction);
  switch (a.type) {
    case 'select':
      return { ...s, selectedKey: a.key };
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
    case 'zoom':
      return { ...s, zoomed: !s.zoomed };
    case 'filter-start':
      return { ...s, filterEditing: true };
    case 'filter-input':
      return { ...s, filter: (s.filter + a.text).slice(0, 64) };
    case 'filter-backspace':
      return { ...s, filter: [...s.filter].slice(0, -1).join('') };
    case 'filter-accept':
      return { ...s, filterEditing: false };
    case 'escape':
      // Esc closes the innermost thing: help, then the filter, then zoom.
      if (s.help) return { ...s, help: false };
      if (s.filterEditing || s.filter) return { ...s, filter: '', filterEditing: false };
      if (s.zoomed) return { ...s, zoomed: false };
      return s;
    case 'sort':
      return s.sort === a.by ? { ...s, reverse: !s.reverse } : { ...s, sort: a.by, reverse: false };
    case 'reverse':
      return { ...s, reverse: !s.reverse };
    case 'pause':
      return { ...s, paused: !s.paused };
    case 'help':
      return { ...s, help: a.open ?? !s.help, helpScroll: 0 };
    case 'help-scroll':
      return { ...s, helpScroll: Math.min(Math.max(0, a.max), Math.max(0, s.helpScroll + a.delta)) };
    case 'redraw':
      return { ...s, redraw: s.redraw + 1 };
    case 'flash':
      return { ...s, flash: a.text };
    default:
      return s;
  }
}

type DialogAction = Extract<ViewAction, { type: `dialog-${string}` | 'history-add' }>;
type OutputAction = Extract<ViewAction, { type: `output-${string}` }>;

/** The open dialog and the command history. */
function dialogReducer(s: ViewState, a: DialogAction): ViewState {
  switch (a.type) {
    case 'dialog-open':
      return { ...s, dialogs: s.dialogs + 1, dialog: { input: '', ...a.dialog, id: s.dialogs + 1 } as Prompt };
    case 'dialog-input':
      return s.dialog && typing(s.dialog)
        ? { ...s, dialog: { ...s.dialog, input: (s.dialog.input + a.text).slice(0, 480), error: undefined } }
        : s;
    case 'dialog-backspace':
      return s.dialog && typing(s.dialog)
        ? { ...s, dialog: { ...s.dialog, input: [...s.dialog.input].slice(0, -1).join(''), error: undefined } }
        : s;
    case 'dialog-update':
      return s.dialog?.id === a.id ? { ...s, dialog: a.update(s.dialog) } : s;
    case 'dialog-history': {
      if (s.dialog?.kind !== 'command' || s.dialog.stage !== 'input' || s.history.length === 0) return s;
      const at = Math.min(s.history.length, Math.max(0, (s.dialog.historyAt ?? s.history.length) + a.delta));
      return { ...s, dialog: { ...s.dialog, historyAt: at, input: s.history[at] ?? '' } };
    }
    // The user cannot close a dialog while its operation runs (its result would be lost); the operation can.
    case 'dialog-close':
      return s.dialog && !a.force && busy(s.dialog) ? s : { ...s, dialog: undefined };
    case 'history-add':
      return { ...s, history: [...s.history.filter((h) => h !== a.command), a.command].slice(-100) };
  }
}

/** The output pane: a captured reply or a followed log, scrolled and searched. */
function outputReducer(s: ViewState, a: OutputAction): ViewState {
  switch (a.type) {
    case 'output-show':
      return { ...s, output: { ...a.output, scroll: a.output.tail ?? 0 } };
    case 'output-text': {
      if (!s.output?.follow) return s;
      const atEnd = s.output.scroll === s.output.tail;
      return {
        ...s,
        output: { ...s.output, title: a.title, text: a.text, tail: a.tail, scroll: atEnd ? a.tail : s.output.scroll },
      };
    }
    case 'output-scroll': {
      if (!s.output) return s;
      const max = Math.max(0, a.lines - 1);
      return { ...s, output: { ...s.output, scroll: Math.min(max, Math.max(0, s.output.scroll + a.delta)) } };
    }
    case 'output-search': {
      if (!s.output) return s;
      const i = findLine(a.lines, a.search, 0);
      return {
        ...s,
        output: {
          ...s.output,
          search: a.search,
          scroll: i ?? s.output.scroll,
          note: i === undefined ? `"${a.search}" not found` : undefined,
        },
      };
    }
    case 'output-next': {
      if (!s.output?.search) return s;
      const i = findLine(a.lines, s.output.search, s.output.scroll + 1) ?? findLine(a.lines, s.output.search, 0);
      return {
        ...s,
        output: {
          ...s.output,
          scroll: i ?? s.output.scroll,
          note: i === undefined ? `"${s.output.search}" not found` : undefined,
        },
      };
    }
    case 'output-close':
      return { ...s, output: undefined };
  }
}

function findLine(lines: string[], needle: string, from: number): number | undefined {
  const n = needle.toLowerCase();
  for (let i = from; i < lines.length; i++) if (lines[i]!.toLowerCase().includes(n)) return i;
  return undefined;
}
