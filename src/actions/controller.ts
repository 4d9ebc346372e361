// What the TUI can ask of umltop beyond its own view state: the one interface between the
// components and everything with side effects (sockets, signals, files, the terminal). The
// components hold a Controller and call it; InstanceActions (instance-actions.ts) is the real one.
import type { SysrqLetter } from '../ui/dialogs/types.js';
import type { LadderStep } from './commands.js';
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
}
