// Every dialog as a union with one member per kind: each stage carries what it needs (the command
// a typed confirmation runs, the ladder's next step), so no field is read before it is set.
import type { SysrqLetter } from '../../actions/commands.js';

interface Common {
  /** Given when opened: an answer that arrives late updates only the dialog it belongs to. */
  id: number;
  key: string;
  umid: string;
  input: string;
  error?: string;
}

/** A result shown until Enter or Esc. */
interface Done {
  stage: 'done';
  message: string;
}

/** Typing the umid to confirm `command` (a dangerous mconsole command). */
interface Typed {
  stage: 'typed';
  command: string;
}

export type MemPrompt = Common & { kind: 'mem' } & (
    | { stage: 'input' | 'planning' }
    | { stage: 'confirm'; message: string; warning?: string }
    | { stage: 'running'; progress?: string }
    | Done
  );

export type CommandPrompt = Common & { kind: 'command'; historyAt?: number } & (
    | { stage: 'input' | 'running' }
    | Typed
    | Done
  );

export type SysrqPrompt = Common & { kind: 'sysrq'; letters?: SysrqLetter[] } & (
    | { stage: 'input' | 'running' }
    | Typed
    | Done
  );

/** Pause, resume or reboot: `command` runs on y (stage confirm) or once the umid is typed. */
export type ConfirmPrompt = Common & { kind: 'confirm'; command: string } & (
    | { stage: 'confirm' | 'typed' | 'running' }
    | Done
  );

/** `step`: the ladder's next step (LADDER index); `log`: what the steps run so far did. */
export type LadderPrompt = Common & { kind: 'ladder'; step: number; log: string[] } & (
    | { stage: 'typed' | 'running' }
    | Done
  );

/** A guest's disks: 'add ubdN FILE [ro]' or 'remove ubdN' typed, checked on Enter, done on y. */
export type DiskPrompt = Common & { kind: 'disk'; disks?: string[] } & (
    | { stage: 'input' | 'planning' }
    | { stage: 'confirm'; message: string }
    | { stage: 'running' }
    | Done
  );

/** A console line that could be switched to a pts: `config LINE=pts` on y (journaled). */
export type SwitchPrompt = Common & { kind: 'switch'; line: string; channel: string; lines: string } & (
    | { stage: 'confirm' | 'running' }
    | Done
  );

export type SearchPrompt = Common & { kind: 'search'; stage: 'input' };

export type Prompt =
  | MemPrompt
  | CommandPrompt
  | SysrqPrompt
  | ConfirmPrompt
  | LadderPrompt
  | DiskPrompt
  | SwitchPrompt
  | SearchPrompt;
export type PromptKind = Prompt['kind'];
export type Stage = Prompt['stage'];

/** A dialog as an action opens it: the reducer gives it its id and an empty input. */
export type NewPrompt = Prompt extends infer P
  ? P extends Prompt
    ? Omit<P, 'id' | 'input'> & { input?: string }
    : never
  : never;

/** Is the dialog taking typed text now? */
export function typing(d: Prompt): boolean {
  return d.stage === 'input' || d.stage === 'typed';
}

/** Is an operation of the dialog under way (its result would be lost if it closed)? */
export function busy(d: Prompt): boolean {
  return d.stage === 'running' || d.stage === 'planning';
}
