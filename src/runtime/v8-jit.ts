// How eagerly V8 optimizes. umltop runs a little code once a second for hours, and by default
// V8 sends a function to its optimizing compiler (TurboFan, on helper threads) after a fairly
// small amount of interpreted work: at 1 Hz, React's, Ink's and umltop's functions cross that
// line one after another for minutes, so the compiler does not settle. With the TUI on 10 real
// guests, 60-120 s after start, 23 % of umltop's CPU samples (perf) were TurboFan compiling.
// Four TUIs side by side on one fleet (% of a core; 60-120 s / 120-240 s / 300-420 s after start):
//   default budget 3.08 / 3.38 / 2.87    4x 2.48 / 2.71 / 2.39
//   16x            2.45 / 2.61 / 2.34   64x 2.63 / 2.92 / 2.49
// 16x: helper threads 1.2 -> 0.3-0.4 %. Functions that really are hot (parsers, the frame
// builder) are still optimized, later. Interpreter only (--no-opt) was worse: 3.7 %.
// Start-up runs much code once (first render, layout): raised from the start, the budget cost
// ~40 ms to the first frame (10 guests: 482-514 -> 522-557 ms). So it is raised once start-up is
// over; V8 reads it each time a function's budget runs out, so it then holds for every function.
import v8 from 'node:v8';

/** V8's default interrupt budget (Node 20, V8 11.3). */
export const V8_DEFAULT_BUDGET = 67_584;

let timer: NodeJS.Timeout | undefined;

/** Raise V8's interrupt budget `factor` times, `afterMs` from now (0: at once). */
export function tuneJit(factor = 16, afterMs = 10_000): void {
  if (factor <= 1 || timer) return;
  const raise = () => v8.setFlagsFromString(`--interrupt-budget=${Math.round(V8_DEFAULT_BUDGET * factor)}`);
  if (afterMs <= 0) {
    raise();
    return;
  }
  timer = setTimeout(raise, afterMs);
  timer.unref();
}
