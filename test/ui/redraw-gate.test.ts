// When store changes become a frame: a quiet gap after the last change, bounded by a longest wait.
import { describe, expect, it } from 'vitest';
import { redrawGate, type TimerApi } from '../../src/ui/redraw-gate.js';

/** Timers driven by hand: advance(ms) runs what falls due, in order. */
function manualTimers() {
  let t = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const api: TimerApi = {
    now: () => t,
    set: (fn, ms) => {
      pending.set(++seq, { at: t + ms, fn });
      return seq;
    },
    clear: (h) => {
      pending.delete(h as number);
    },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = [...pending].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      t = due[1].at;
      due[1].fn();
    }
    t = end;
  };
  return { api, advance, pending: () => pending.size };
}

/** When a gate (quiet gap 40 ms, longest wait 300 ms) draws, given when changes come. */
function framesFor(changesAt: number[], minGapMs = 0): number[] {
  const m = manualTimers();
  const frames: number[] = [];
  const gate = redrawGate(
    () => frames.push(m.api.now()),
    40,
    300,
    m.api,
    () => minGapMs,
  );
  for (const at of changesAt) {
    m.advance(at - m.api.now());
    gate.changed();
  }
  m.advance(1000);
  return frames;
}

/** from, from + step, ... up to `to` */
const every = (step: number, to: number) => Array.from({ length: Math.floor(to / step) + 1 }, (_, i) => i * step);

describe('redrawGate', () => {
  it("one beat's straggling samples make one frame, drawn a quiet gap after the last", () => {
    // host totals at the beat, then guests 20-130 ms later (as measured with 10 guests)
    expect(framesFor([0, 22, 25, 60, 95, 118, 121, 125])).toEqual([165]);
  });

  it('a steady stream of changes is still drawn, at most maxWait after the first', () => {
    const frames = framesFor(every(10, 1000));
    expect(frames.slice(0, 3)).toEqual([300, 600, 900]);
    expect(frames.at(-1)).toBe(1040); // the last change, after its quiet gap
  });

  it('a change every 50 ms (a guest flooding notes) is drawn at most once per minimum gap', () => {
    // the first after its quiet gap, then each 500 ms after the one before, the last change included
    expect(framesFor(every(50, 2000), 500)).toEqual([40, 540, 1040, 1540, 2040]);
  });

  it('the minimum gap does not hold back a change that comes after it', () => {
    expect(framesFor([0, 1000], 500)).toEqual([40, 1040]);
  });

  it('0 draws on every change at once; cancel drops a pending frame', () => {
    const m = manualTimers();
    let n = 0;
    const now = redrawGate(() => n++, 0, 300, m.api);
    now.changed();
    now.changed();
    expect(n).toBe(2);
    const later = redrawGate(() => n++, 40, 300, m.api);
    later.changed();
    later.cancel();
    m.advance(1000);
    expect(n).toBe(2);
    expect(m.pending()).toBe(0);
  });
});
