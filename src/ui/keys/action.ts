// What an action is: a row of the action table (table.ts), and what its run() may use.
import type { BalanceDecision, HostHeadroom } from '../../state/advice.js';
import type { DialogEnv } from '../dialogs/env.js';
import type { ViewAction, ViewState } from '../view-state.js';

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
  /** The selected instance, if any. `live`: it answers (running or paused); `kernelRuns`: its kernel process runs, answering or not. */
  selected(): { key: string; umid: string; live: boolean; kernelRuns: boolean } | undefined;
  /** The view state as the previous key left it (keys arrive faster than renders). */
  view(): ViewState;
  /** What the open dialog's keys work with (dialogs/index.ts). */
  dialogs: DialogEnv;
  /** Lines of the output pane (for scrolling and search). */
  outputLines(): string[];
  /** Rows the output pane shows at once (for page moves). */
  outputPage(): number;
  /** The memory advice for every instance now (key → decision), as the frame on screen has it. */
  advice(): Map<string, BalanceDecision>;
  /** The host's memory headroom for the guests, as the frame on screen has it. */
  headroom(): HostHeadroom;
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
  /** Into the selected guest: its console, task list, console log (followed), disks; stopFollow ends the log's. */
  guest(what: 'console' | 'tasks' | 'log' | 'disks' | 'stopFollow'): void;
}

export interface Action {
  id: string;
  /** Canonical key names: 'q', 'ctrl+c', 'up', 'shift+tab', 'space', 'enter', 'escape', '?'. */
  keys: string[];
  description: string;
  scopes: Scope[];
  /** Short label for the footer legend; omitted = not in the footer. */
  footer?: string;
  /** Writes to an instance: not bound in --read-only or a replay (keymap.ts). */
  write?: boolean;
  /** Needs confirmation. */
  dangerous?: boolean;
  /** Only when replaying a recording. */
  replay?: boolean;
  /** Talks to the selected instance's mconsole or host processes (so only to instances on this host). */
  local?: boolean;
  run(ctx: ActionContext): void;
}
