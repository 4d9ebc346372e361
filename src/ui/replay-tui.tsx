// `umltop replay FILE` in a terminal: the recorded session in the TUI, driven by the recording's
// own clock. Replay keys: p pauses / resumes the replay, . steps one tick, > and < change speed.
import { ManualClock } from '../runtime/clock.js';
import type { RecordLine } from '../recording/format.js';
import { applyLine, replayStoreOptions } from '../recording/recorder.js';
import { Store } from '../state/store.js';
import type { Action } from './keys/action.js';
import type { ReplayControls } from '../actions/controller.js';
import { runTui } from './run-tui.js';

/** How the replay is drawn (the command line's and config file's choices). */
export interface ReplayLook {
  noColor: boolean;
  ascii: boolean;
  palette?: Record<string, string>;
}

export function runReplayTui(lines: RecordLine[], opts: ReplayLook, keys?: Action[]): Promise<number> {
  const clock = new ManualClock(lines[0]!.mono, lines[0]!.wall);
  const store = new Store(clock, replayStoreOptions(lines));
  let i = 0;
  let speed = 1;
  let paused = false;
  let timer: NodeJS.Timeout | undefined;
  const t0 = lines[0]!.mono;
  const end = lines.at(-1)!.mono;
  const status = () =>
    `replay ${paused ? 'paused' : `x${speed}`} ${Math.round((clock.now() - t0) / 1000)}/${Math.round((end - t0) / 1000)}s`;
  /** Apply every line up to the next tick (or sample) boundary. */
  const step = () => {
    while (i < lines.length) {
      const line = lines[i++]!;
      applyLine(store, clock, line);
      if (line.kind === 'tick' || (line.kind === 'input' && line.input.op === 'sample')) break;
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    if (paused || i >= lines.length) return;
    const wait = Math.max(0, (lines[i]!.mono - clock.now()) / speed);
    timer = setTimeout(
      () => {
        step();
        schedule();
      },
      Math.min(wait, 5000),
    );
  };
  const controls: ReplayControls = {
    status,
    togglePause: () => {
      paused = !paused;
      schedule();
      return status();
    },
    step: () => {
      paused = true;
      step();
      clearTimeout(timer);
      return status();
    },
    faster: () => {
      speed = Math.min(64, speed * 2);
      schedule();
      return status();
    },
    slower: () => {
      speed = Math.max(0.25, speed / 2);
      schedule();
      return status();
    },
    stop: () => clearTimeout(timer),
  };
  step();
  schedule();
  return runTui({
    store,
    poller: undefined,
    noColor: opts.noColor,
    ascii: opts.ascii,
    palette: opts.palette,
    readOnly: true,
    keys,
    replay: controls,
    helpNotes: [`replaying a recording of ${lines.length} lines (${Math.round((end - t0) / 1000)} s)`],
  });
}
