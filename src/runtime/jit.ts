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
import v8 from 'node:v8';

/** V8's default interrupt budget (Node 20, V8 11.3). */
export const V8_DEFAULT_BUDGET = 67_584;

export function tuneJit(factor = 16): void {
  if (factor <= 1) return;
  // Read when a function's feedback is set up: in effect for everything loaded after this call.
  v8.setFlagsFromString(`--interrupt-budget=${Math.round(V8_DEFAULT_BUDGET * factor)}`);
}
