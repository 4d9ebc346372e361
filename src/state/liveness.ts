// The liveness ladder, as a pure decision: host pid alive → `help` answered (interrupt context)
// → `proc` answered (needs the guest scheduler); and paused-by-`stop` told apart from hung.
import type { GuestReach } from '../collectors/guest-source.js';

export type InstanceState = 'running' | 'unresponsive' | 'stopped' | 'dead' | 'invalid';

export interface LivenessInput {
  /** Host process state letter, or undefined when the host read failed. */
  hostProcState?: string;
  hostGone?: string;
  /** Syscall the kernel's main thread sits in, if readable (45 = recvfrom, the `stop` loop). */
  hostSyscall?: number;
  reach?: GuestReach;
  /** Guest CPU jiffies did not move at all over this many ms (undefined: unknown / moved). */
  guestClockFrozenMs?: number;
}

export interface Verdict { state: InstanceState; reason: string }

const RECVFROM = 45;

export function decideLiveness(input: LivenessInput): Verdict {
  if (input.hostGone) return { state: 'dead', reason: input.hostGone };
  if (input.hostProcState === 'T') {
    return { state: 'unresponsive', reason: 'stopped on the host (SIGSTOP): the kernel cannot answer until SIGCONT' };
  }
  const reach = input.reach;
  if (!reach) return { state: 'running', reason: 'host process alive (guest not asked yet)' };
  switch (reach.kind) {
    case 'gone': return { state: 'dead', reason: reach.message };
    case 'wedged': return { state: 'unresponsive', reason: reach.message };
    case 'scheduler-stuck': return { state: 'unresponsive', reason: reach.message };
    case 'answered': {
      const frozen = input.guestClockFrozenMs;
      if (frozen !== undefined && frozen >= 800 && (input.hostSyscall === undefined || input.hostSyscall === RECVFROM)) {
        return { state: 'stopped', reason: `paused via mconsole 'stop': guest CPU time frozen for ${Math.round(frozen / 1000)} s, kernel waiting in its stop loop ('go' resumes)` };
      }
      return { state: 'running', reason: 'answering' };
    }
  }
}
