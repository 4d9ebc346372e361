// The one action table: every key umltop answers to, with its description and scope. It drives
// the key dispatch, the help screen and the footer legend, so the three can never disagree.
import type { ViewAction } from '../ui/view-state.js';

/** Where an action applies: 'main' = the normal view; 'filter' = typing a filter; 'help' = help open. */
export type Scope = 'main' | 'filter' | 'prompt' | 'dialog' | 'output' | 'help';

export interface ActionContext {
  dispatch(a: ViewAction): void;
  /** Instance keys in display order (for selection moves). */
  visibleKeys(): string[];
  /** Change the sampling interval by a factor step (+1 slower / -1 faster); returns the new ms. */
  stepInterval(direction: 1 | -1): number;
  quit(): void;
  redraw(): void;
  /** The selected instance (key and umid), if any. */
  selected(): { key: string; umid: string; live: boolean } | undefined;
  /** The open dialog: Enter on typed text, y on a yes/no question, Enter/Esc on a shown result. */
  submit(): void;
  confirm(): void;
  /** Lines of the output pane (for scrolling and search). */
  outputLines(): string[];
  /** Rows the output pane shows at once (for page moves). */
  outputPage(): number;
  /** Is the selected instance paused by mconsole `stop`? */
  selectedPaused(): boolean;
  /** Help lines beyond the first page (how far the help can scroll). */
  helpOverflow(): number;
  /** Replay controls; flash their status. */
  replay(what: 'togglePause' | 'step' | 'faster' | 'slower'): void;
  /** Collect a crash bundle for the selected instance. */
  bundle(key: string): void;
  /** Ask the selected guest which sysrq letters it supports (fills the open menu). */
  loadSysrqLetters(key: string): void;
}

export interface Action {
  id: string;
  /** Canonical key names: 'q', 'ctrl+c', 'up', 'shift+tab', 'space', 'enter', 'escape', '?'. */
  keys: string[];
  description: string;
  scopes: Scope[];
  /** Short label for the footer legend; omitted = not in the footer. */
  footer?: string;
  /** Writes to an instance (hidden and refused in --read-only). */
  write?: boolean;
  /** Needs confirmation. */
  dangerous?: boolean;
  /** Only when replaying a recording. */
  replay?: boolean;
  /** Talks to the selected instance's mconsole or host processes (so only to instances on this host). */
  local?: boolean;
  run(ctx: ActionContext): void;
}

export const ACTIONS: Action[] = [
  {
    id: 'app.quit',
    keys: ['q', 'ctrl+c'],
    description: 'Quit umltop',
    scopes: ['main'],
    footer: 'quit',
    run: (c) => c.quit(),
  },
  {
    id: 'app.force-quit',
    keys: ['ctrl+c'],
    description: 'Quit umltop',
    scopes: ['filter', 'help'],
    run: (c) => c.quit(),
  },
  {
    id: 'app.help',
    keys: ['?', 'h'],
    description: 'Show this help (every key)',
    scopes: ['main'],
    footer: 'help',
    run: (c) => c.dispatch({ type: 'help', open: true }),
  },
  {
    id: 'replay.pause',
    keys: ['p'],
    description: 'Replay: pause / resume',
    scopes: ['main'],
    footer: 'replay',
    replay: true,
    run: (c) => c.replay('togglePause'),
  },
  {
    id: 'replay.step',
    keys: ['.'],
    description: 'Replay: one step (pauses)',
    scopes: ['main'],
    replay: true,
    run: (c) => c.replay('step'),
  },
  {
    id: 'replay.faster',
    keys: ['>'],
    description: 'Replay: twice as fast',
    scopes: ['main'],
    replay: true,
    run: (c) => c.replay('faster'),
  },
  {
    id: 'replay.slower',
    keys: ['<'],
    description: 'Replay: half as fast',
    scopes: ['main'],
    replay: true,
    run: (c) => c.replay('slower'),
  },
  {
    id: 'help.close',
    keys: ['?', 'escape', 'q', 'h'],
    description: 'Close the help',
    scopes: ['help'],
    footer: 'close',
    run: (c) => c.dispatch({ type: 'help', open: false }),
  },
  {
    id: 'select.up',
    keys: ['up', 'k'],
    description: 'Select the previous instance',
    scopes: ['main'],
    footer: 'select',
    run: (c) => c.dispatch({ type: 'move', delta: -1, keys: c.visibleKeys() }),
  },
  {
    id: 'select.down',
    keys: ['down', 'j'],
    description: 'Select the next instance',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'move', delta: 1, keys: c.visibleKeys() }),
  },
  {
    id: 'select.first',
    keys: ['home', 'g'],
    description: 'Select the first instance',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'move', delta: -1e9, keys: c.visibleKeys() }),
  },
  {
    id: 'select.last',
    keys: ['end', 'G'],
    description: 'Select the last instance',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'move', delta: 1e9, keys: c.visibleKeys() }),
  },
  {
    id: 'focus.next',
    keys: ['tab'],
    description: 'Move focus to the next pane',
    scopes: ['main'],
    footer: 'pane',
    run: (c) => c.dispatch({ type: 'focus', delta: 1 }),
  },
  {
    id: 'focus.prev',
    keys: ['shift+tab'],
    description: 'Move focus to the previous pane',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'focus', delta: -1 }),
  },
  {
    id: 'view.zoom',
    keys: ['enter'],
    description: 'Zoom the focused pane (again to unzoom)',
    scopes: ['main'],
    footer: 'zoom',
    run: (c) => c.dispatch({ type: 'zoom' }),
  },
  {
    id: 'filter.start',
    keys: ['/'],
    description: 'Filter instances by umid',
    scopes: ['main'],
    footer: 'filter',
    run: (c) => c.dispatch({ type: 'filter-start' }),
  },
  {
    id: 'view.escape',
    keys: ['escape'],
    description: 'Clear the filter / leave zoom',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'escape' }),
  },
  {
    id: 'filter.accept',
    keys: ['enter'],
    description: 'Keep the filter and return to the list',
    scopes: ['filter'],
    footer: 'keep',
    run: (c) => c.dispatch({ type: 'filter-accept' }),
  },
  {
    id: 'filter.cancel',
    keys: ['escape'],
    description: 'Clear the filter',
    scopes: ['filter'],
    footer: 'clear',
    run: (c) => c.dispatch({ type: 'escape' }),
  },
  {
    id: 'filter.backspace',
    keys: ['backspace'],
    description: 'Delete the last character of the filter',
    scopes: ['filter'],
    run: (c) => c.dispatch({ type: 'filter-backspace' }),
  },
  {
    id: 'view.sort-cpu',
    keys: ['P'],
    description: 'Sort by host CPU (again: reverse)',
    scopes: ['main'],
    footer: 'sort',
    run: (c) => c.dispatch({ type: 'sort', by: 'cpu' }),
  },
  {
    id: 'view.sort-mem',
    keys: ['M'],
    description: 'Sort by guest memory used (again: reverse)',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'sort', by: 'mem' }),
  },
  {
    id: 'view.sort-irq',
    keys: ['I'],
    description: 'Sort by interrupts per second (again: reverse)',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'sort', by: 'irq' }),
  },
  {
    id: 'view.sort-name',
    keys: ['N'],
    description: 'Sort by umid (again: reverse)',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'sort', by: 'name' }),
  },
  {
    id: 'view.reverse',
    keys: ['r'],
    description: 'Reverse the sort order',
    scopes: ['main'],
    run: (c) => c.dispatch({ type: 'reverse' }),
  },
  {
    id: 'view.interval-up',
    keys: ['+', '='],
    description: 'Sample less often (longer interval)',
    scopes: ['main'],
    footer: 'interval',
    run: (c) => {
      const ms = c.stepInterval(1);
      c.dispatch({ type: 'flash', text: `interval ${ms / 1000}s` });
    },
  },
  {
    id: 'view.interval-down',
    keys: ['-'],
    description: 'Sample more often (shorter interval)',
    scopes: ['main'],
    run: (c) => {
      const ms = c.stepInterval(-1);
      c.dispatch({ type: 'flash', text: `interval ${ms / 1000}s` });
    },
  },
  {
    id: 'view.pause',
    keys: ['space'],
    description: 'Freeze the display (collection goes on)',
    scopes: ['main'],
    footer: 'pause',
    run: (c) => c.dispatch({ type: 'pause' }),
  },
  {
    id: 'view.redraw',
    keys: ['ctrl+l'],
    description: 'Redraw the screen',
    scopes: ['main', 'help'],
    run: (c) => c.redraw(),
  },
  {
    id: 'help.down',
    keys: ['down', 'j'],
    description: 'Scroll the help down',
    scopes: ['help'],
    footer: 'scroll',
    run: (c) => c.dispatch({ type: 'help-scroll', delta: 1, max: c.helpOverflow() }),
  },
  {
    id: 'help.up',
    keys: ['up', 'k'],
    description: 'Scroll the help up',
    scopes: ['help'],
    run: (c) => c.dispatch({ type: 'help-scroll', delta: -1, max: c.helpOverflow() }),
  },
  {
    id: 'help.page-down',
    keys: ['pagedown', 'space'],
    description: 'Help: a page down',
    scopes: ['help'],
    run: (c) => c.dispatch({ type: 'help-scroll', delta: 20, max: c.helpOverflow() }),
  },
  {
    id: 'help.page-up',
    keys: ['pageup', 'b'],
    description: 'Help: a page up',
    scopes: ['help'],
    run: (c) => c.dispatch({ type: 'help-scroll', delta: -20, max: c.helpOverflow() }),
  },
  {
    id: 'memory.hotplug',
    keys: ['m'],
    description: 'Memory hotplug of the selected instance: -64M takes, +64M gives back',
    scopes: ['main'],
    local: true,
    footer: 'memory',
    write: true,
    run: (c) => openOn(c, 'mem'),
  },
  {
    id: 'command.open',
    keys: [':'],
    description: 'mconsole command line (with history): proc, stack PID, log TEXT, config, remove…',
    scopes: ['main'],
    local: true,
    footer: 'cmd',
    run: (c) => openOn(c, 'command'),
  },
  {
    id: 'sysrq.open',
    keys: ['S'],
    description: 'sysrq menu: the letters the guest supports, output captured into a pane',
    scopes: ['main'],
    local: true,
    footer: 'sysrq',
    run: (c) => {
      openOn(c, 'sysrq');
      const s = c.selected();
      if (s?.live) c.loadSysrqLetters(s.key);
    },
  },
  {
    id: 'instance.bundle',
    keys: ['B'],
    description: 'Crash bundle: guest dumps, host threads and history into one directory',
    scopes: ['main'],
    local: true,
    footer: 'bundle',
    run: (c) => {
      const s = c.selected();
      if (s) {
        c.bundle(s.key);
        c.dispatch({ type: 'flash', text: `collecting a crash bundle for ${s.umid}…` });
      }
    },
  },
  {
    id: 'instance.pause',
    keys: ['z'],
    description: "Pause / resume the selected instance (mconsole 'stop' / 'go')",
    scopes: ['main'],
    local: true,
    write: true,
    run: (c) => {
      const s = c.selected();
      if (s?.live)
        c.dispatch({
          type: 'dialog-open',
          kind: 'confirm',
          key: s.key,
          umid: s.umid,
          patch: { stage: 'confirm', pending: c.selectedPaused() ? 'go' : 'stop' },
        });
      else c.dispatch({ type: 'flash', text: 'select a running instance first' });
    },
  },
  {
    id: 'instance.reboot',
    keys: ['R'],
    description: 'Reboot the selected instance (type its umid to confirm)',
    scopes: ['main'],
    local: true,
    write: true,
    dangerous: true,
    run: (c) => {
      const s = c.selected();
      if (s?.live)
        c.dispatch({
          type: 'dialog-open',
          kind: 'confirm',
          key: s.key,
          umid: s.umid,
          patch: { stage: 'typed', pending: 'reboot' },
        });
    },
  },
  {
    id: 'instance.shutdown',
    keys: ['X'],
    description: 'Shutdown ladder for a wedged guest: cad → halt → SIGTERM → SIGKILL, each confirmed',
    scopes: ['main'],
    local: true,
    write: true,
    dangerous: true,
    run: (c) => {
      const s = c.selected();
      if (s)
        c.dispatch({
          type: 'dialog-open',
          kind: 'ladder',
          key: s.key,
          umid: s.umid,
          patch: { stage: 'typed', step: 0, log: [] },
        });
    },
  },
  {
    id: 'prompt.submit',
    keys: ['enter'],
    description: 'Enter what was typed',
    scopes: ['prompt'],
    footer: 'ok',
    run: (c) => c.submit(),
  },
  {
    id: 'prompt.cancel',
    keys: ['escape'],
    description: 'Cancel',
    scopes: ['prompt'],
    footer: 'cancel',
    run: (c) => c.dispatch({ type: 'dialog-close' }),
  },
  {
    id: 'prompt.backspace',
    keys: ['backspace'],
    description: 'Delete the last character',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-backspace' }),
  },
  {
    id: 'prompt.history-back',
    keys: ['up'],
    description: 'Previous command (command line)',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-history', delta: -1 }),
  },
  {
    id: 'prompt.history-forward',
    keys: ['down'],
    description: 'Next command (command line)',
    scopes: ['prompt'],
    run: (c) => c.dispatch({ type: 'dialog-history', delta: 1 }),
  },
  { id: 'prompt.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['prompt'], run: (c) => c.quit() },
  {
    id: 'dialog.confirm',
    keys: ['y'],
    description: 'Yes: do it',
    scopes: ['dialog'],
    footer: 'yes',
    run: (c) => c.confirm(),
  },
  {
    id: 'dialog.cancel',
    keys: ['n', 'escape'],
    description: 'No / close',
    scopes: ['dialog'],
    footer: 'no/close',
    run: (c) => c.dispatch({ type: 'dialog-close' }),
  },
  {
    id: 'dialog.acknowledge',
    keys: ['enter'],
    description: 'Close a shown result',
    scopes: ['dialog'],
    run: (c) => c.submit(),
  },
  { id: 'dialog.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['dialog'], run: (c) => c.quit() },
  {
    id: 'output.up',
    keys: ['up', 'k'],
    description: 'Scroll the output up',
    scopes: ['output'],
    footer: 'scroll',
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -1, lines: c.outputLines().length }),
  },
  {
    id: 'output.down',
    keys: ['down', 'j'],
    description: 'Scroll the output down',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: 1, lines: c.outputLines().length }),
  },
  {
    id: 'output.page-up',
    keys: ['pageup', 'b'],
    description: 'Output: a page up',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -c.outputPage(), lines: c.outputLines().length }),
  },
  {
    id: 'output.page-down',
    keys: ['pagedown', 'space'],
    description: 'Output: a page down',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: c.outputPage(), lines: c.outputLines().length }),
  },
  {
    id: 'output.top',
    keys: ['home', 'g'],
    description: 'Output: the top',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: -1e9, lines: c.outputLines().length }),
  },
  {
    id: 'output.bottom',
    keys: ['end', 'G'],
    description: 'Output: the end',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-scroll', delta: 1e9, lines: c.outputLines().length }),
  },
  {
    id: 'output.search',
    keys: ['/'],
    description: 'Search the output',
    scopes: ['output'],
    footer: 'search',
    run: (c) => c.dispatch({ type: 'dialog-open', kind: 'search', key: '', umid: '' }),
  },
  {
    id: 'output.next',
    keys: ['n'],
    description: 'Next match',
    scopes: ['output'],
    run: (c) => c.dispatch({ type: 'output-next', lines: c.outputLines() }),
  },
  {
    id: 'output.close',
    keys: ['escape', 'q'],
    description: 'Close the output',
    scopes: ['output'],
    footer: 'close',
    run: (c) => c.dispatch({ type: 'output-close' }),
  },
  { id: 'output.quit', keys: ['ctrl+c'], description: 'Quit umltop', scopes: ['output'], run: (c) => c.quit() },
];

const NAMED_KEYS = new Set([
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'enter',
  'escape',
  'space',
  'tab',
  'shift+tab',
  'backspace',
]);

/** Is `k` a canonical key name (what keyName() produces)? */
export function isKeyName(k: string): boolean {
  return NAMED_KEYS.has(k) || /^ctrl\+[a-z]$/.test(k) || /^[\x21-\x7e]$/.test(k);
}

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

let active: Action[] = ACTIONS;

/** Use key overrides from the config file for dispatch, help and footer (validated first). */
export function useKeyBindings(bindings: Record<string, string[]>): void {
  const { table, clashes } = withKeyBindings(ACTIONS, bindings);
  if (clashes.length) throw new Error(`keys.${clashes[0]!.id}: ${clashes[0]!.message}`);
  active = table;
}

/** Actions available in a scope (read-only drops the ones that write). */
export function actionsFor(scope: Scope, opts: { readOnly?: boolean; replay?: boolean } = {}): Action[] {
  return active.filter(
    (a) =>
      a.scopes.includes(scope) &&
      !((opts.readOnly || opts.replay) && a.write) &&
      Boolean(a.replay) === Boolean(opts.replay && a.replay),
  );
}

export function findAction(
  scope: Scope,
  key: string,
  opts: { readOnly?: boolean; replay?: boolean } = {},
): Action | undefined {
  return actionsFor(scope, opts).find((a) => a.keys.includes(key));
}

export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

/** Ink's (input, key) → a canonical key name as used in the table. */
export function keyName(input: string, key: InkKey): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/** How a key is written in help and footer. */
export function keyLabel(k: string, ascii = false): string {
  const names: Record<string, string> = {
    up: ascii ? 'Up' : '↑',
    down: ascii ? 'Down' : '↓',
    enter: 'Enter',
    escape: 'Esc',
    space: 'Space',
    tab: 'Tab',
    'shift+tab': 'S-Tab',
    backspace: 'Bksp',
    home: 'Home',
    end: 'End',
    pageup: 'PgUp',
    pagedown: 'PgDn',
  };
  if (names[k]) return names[k]!;
  if (k.startsWith('ctrl+')) return `^${k.slice(5).toUpperCase()}`;
  return k;
}

function openOn(c: ActionContext, kind: 'mem' | 'command' | 'sysrq'): void {
  const s = c.selected();
  if (s?.live) c.dispatch({ type: 'dialog-open', kind, key: s.key, umid: s.umid });
  else c.dispatch({ type: 'flash', text: 'select a running instance first' });
}
