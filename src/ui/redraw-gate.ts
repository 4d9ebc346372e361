// When store changes become a frame. A beat's samples do not land at once (they spread over up to
// ~130 ms on 2 busy cores), and a fixed window from the first change drew a second frame for the
// stragglers. This waits for a quiet gap after the last change, bounded by a longest wait, so a
// beat is one frame and a change never waits for long.
export interface TimerApi {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: TimerApi = {
  now: () => performance.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface RedrawGate {
  /** Something changed. */
  changed(): void;
  /** Drop a pending redraw (unmounting). */
  cancel(): void;
}

/**
 * `draw` runs once `quietMs` pass with no change, or `maxWaitMs` after the first change it
 * covers, whichever is sooner, but never sooner than `minGapMs` after the last draw. `quietMs`
 * 0: on every change, synchronously.
 */
export function redrawGate(
  draw: () => void,
  quietMs: number,
  maxWaitMs: number,
  timers: TimerApi = realTimers,
  minGapMs: () => number = () => 0,
): RedrawGate {
  let first: number | undefined; // when the first change not yet drawn came
  let handle: unknown;
  let pendingAt = 0; // when the pending draw is due
  let drawn = Number.NEGATIVE_INFINITY; // when the last draw ran
  const fire = () => {
    handle = undefined;
    first = undefined;
    drawn = timers.now();
    draw();
  };
  return {
    changed() {
      if (quietMs <= 0) {
        draw();
        return;
      }
      const now = timers.now();
      first ??= now;
      const due = Math.max(Math.min(now + quietMs, first + maxWaitMs), drawn + minGapMs());
      // under a flood the draw waits for the gap: the pending timer already fires then
      if (handle !== undefined && due === pendingAt) return;
      if (handle !== undefined) timers.clear(handle);
      pendingAt = due;
      handle = timers.set(fire, Math.max(0, due - now));
    },
    cancel() {
      if (handle !== undefined) timers.clear(handle);
      handle = undefined;
      first = undefined;
    },
  };
}
