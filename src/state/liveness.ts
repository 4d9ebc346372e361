// The liveness ladder, as a pure decision: host pid alive → `help` answered (interrupt context)
// → `proc` answered (needs the guest scheduler); and paused-by-`stop` told apart from hung.
import type { GuestReach } from '../collectors/guest-sample.js';
import { inStopLoop as hostInStopLoop } from '../collectors/host-source.js';

export type InstanceState = 'running' | 'unresponsive' | 'stopped' | 'dead' | 'invalid';

export interface LivenessInput {
  /** Host process state letter, or undefined when the host read failed. */
  hostProcState?: string;
  hostGone?: string;
  /** Syscall the kernel's main thread sits in, if readable (45 = recvfrom, the `stop` loop). */
  hostSyscall?: number;
  /** Kernel wait channel of the main thread. */
  hostWchan?: string;
  /** Host CPU % of the instance over the last interval. */
  hostCpuPercent?: number;
  reach?: GuestReach;
  /** The guest's idle time has not moved for this many ms (undefined: unknown / moved). */
  guestIdleFrozenMs?: number;
}

export interface Verdict {
  state: InstanceState;
  reason: string;
  /** Unresponsive because the socket is not there while the kernel runs (between boots, or halting). */
  noSocket?: boolean;
}

export function decideLiveness(input: LivenessInput): Verdict {
  if (input.hostGone) return { state: 'dead', reason: input.hostGone };
  if (input.hostProcState === 'T') {
    return { state: 'unresponsive', reason: 'stopped on the host (SIGSTOP): the kernel cannot answer until SIGCONT' };
  }
  // Paused by `stop`: the kernel's main thread sits blocked reading the mconsole socket and burns
  // nothing. Decided from the host, because while stopped a `proc` request may be taken by the
  // interrupt handler and queued behind the worker that runs the stop loop (it times out while
  // `help` answers: it would look like a stuck scheduler).
  if (inStopLoop(input) && (input.hostCpuPercent ?? 0) < 10) {
    return { state: 'stopped', reason: "paused via mconsole 'stop': the kernel waits in its stop loop ('go' resumes)" };
  }
  const reach = input.reach;
  if (!reach) return { state: 'running', reason: 'host process alive (guest not asked yet)' };
  switch (reach.kind) {
    case 'gone':
      // the kernel process still runs (a reboot re-creates the socket; a removed socket or one in
      // another mount namespace is not reachable): never dead while it lives
      if (input.hostProcState !== undefined)
        return {
          state: 'unresponsive',
          reason: `${reach.message.replace(/^instance gone: /, '')}, but its kernel process runs`,
          ...(reach.noSocket ? { noSocket: true } : {}),
        };
      return { state: 'dead', reason: reach.message };
    case 'wedged':
      return { state: 'unresponsive', reason: reach.message };
    case 'scheduler-stuck':
      return { state: 'unresponsive', reason: reach.message };
    case 'answered': {
      // Paused by `stop`: the kernel sits in its stop loop, blocked reading the mconsole socket;
      // no idle time passes and the host process burns nothing. (Answering requests while
      // stopped charges wall time to guest 'user', so a spinner and a paused guest both show
      // frozen idle: the host side tells them apart.)
      const frozen = input.guestIdleFrozenMs;
      if (frozen !== undefined && frozen >= 800 && inStopLoop(input) && (input.hostCpuPercent ?? 0) < 10) {
        return {
          state: 'stopped',
          reason: `paused via mconsole 'stop' for ${Math.round(frozen / 1000)} s: kernel waiting in its stop loop ('go' resumes)`,
        };
      }
      return { state: 'running', reason: 'answering' };
    }
  }
}

function inStopLoop(i: Pick<LivenessInput, 'hostSyscall' | 'hostWchan'>): boolean {
  return hostInStopLoop({ syscall: i.hostSyscall, wchan: i.hostWchan });
}
