// How eagerly V8 optimizes. At one refresh a second, React's, Ink's and umltop's functions cross
// V8's default budget for its optimizing compiler one after another for minutes, so the compiler
// (on helper threads) never settles; a 16x budget lets it settle while hot code is still
// optimized (figures: README, Performance). Raised once start-up is over, because start-up runs
// much code once and a raised budget slows the first frame; V8 reads the budget each time a
// function's runs out, so it then holds for every function.
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
