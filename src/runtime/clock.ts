// Injected time: monotonic milliseconds for rates and ages, wall-clock for display and output.
export interface Clock {
  /** Monotonic milliseconds (never jumps with NTP or the date). */
  now(): number;
  /** Epoch milliseconds. */
  wallNow(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
};

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(
    private mono = 1_000_000,
    private wall = Date.UTC(2026, 10, 25, 12, 0, 0),
  ) {}
  now(): number {
    return this.mono;
  }
  wallNow(): number {
    return this.wall;
  }
  advance(ms: number): void {
    this.mono += ms;
    this.wall += ms;
  }
  set(mono: number, wall: number): void {
    this.mono = mono;
    this.wall = wall;
  }
}
