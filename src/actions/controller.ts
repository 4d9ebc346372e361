// What the TUI can ask of umltop beyond its own view state: the one interface between the
// components and everything with side effects (sockets, signals, files, the terminal). The
// components hold a Controller and call it; InstanceActions (instance-actions.ts) is the real one.
import type { LadderStep, SysrqLetter } from './commands.js';
import type { CommandResult } from './dump.js';

export type PlanResult = { ok: true; message: string; warning?: string } | { ok: false; error: string };

/** Replaying a recording: the keys p . > < drive these; each returns the status to flash. */
export interface ReplayControls {
  status(): string;
  togglePause(): string;
  step(): string;
  faster(): string;
  slower(): string;
  stop(): void;
}

export interface Controller {
  /** Change the sampling interval a step (+1 slower / -1 faster); returns the new interval (ms). */
  stepInterval(direction: 1 | -1): number;
  quit(): void;
  /** Clear the terminal and draw the whole frame again. */
  redraw(): void;
  /** Check a hotplug amount for an instance (no change made). */
  memPlan(key: string, amount: string): Promise<PlanResult>;
  /** Run the checked operation; progress lines as it goes. */
  memRun(key: string, onProgress: (text: string) => void): Promise<{ ok: boolean; message: string }>;
  /** A raw mconsole command (journaled when it writes). */
  runCommand(key: string, command: string): Promise<CommandResult>;
  /** The sysrq letters the guest supports (from its own help line). */
  sysrqLetters(key: string): Promise<SysrqLetter[] | undefined>;
  /** One rung of the shutdown ladder, with its checked result. */
  ladderStep(key: string, step: LadderStep): Promise<{ ended: boolean; message: string }>;
  /** Collect a crash bundle; resolves with its directory. */
  bundle(key: string): Promise<string | undefined>;
  /** Set when replaying a recording. */
  replay?: ReplayControls;
  /** The console, disks, tasks and console log of a guest; absent when replaying. */
  guest?: GuestController;
}

/** What a console log view shows: its title and the newest part of the log, sanitised. */
export interface LogFollow {
  title: string;
  text: string;
  /** The log grew since the last call. */
  grew: boolean;
}

export interface GuestController {
  /** Hand the terminal to the guest's console until ctrl-]; `offer`: a line that could be switched to a pts. */
  console(key: string): Promise<{ ok: boolean; message: string; offer?: { line: string; channel: string } }>;
  /** The guest's tasks (sysrq t) as a text for the output pane. */
  tasks(key: string): Promise<{ ok: boolean; title: string; text: string; complete: boolean; note?: string }>;
  /** Follow the console log file (onText now and whenever it grows); an error text when there is none. */
  followLog(key: string, onText: (f: LogFollow) => void): string | undefined;
  stopFollow(): void;
  /** The guest's disks, one line each. */
  disks(key: string): Promise<string[]>;
  /** Check 'add ubdN FILE [ro]' or 'remove ubdN' (no change made). */
  diskPlan(key: string, text: string): Promise<PlanResult>;
  /** Run the checked disk change, verified in the guest's diskstats. */
  diskRun(key: string): Promise<{ ok: boolean; message: string }>;
}
