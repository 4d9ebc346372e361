// The frame the App draws, from the store: redrawn once per beat of store changes, held still
// while the display is frozen, with the row it selects by default pinned to its instance.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Store } from '../state/store.js';
import { buildFrame, type FrameModel } from './frame-model.js';
import { redrawGate } from './redraw-gate.js';
import type { ViewAction, ViewState } from './view-state.js';

/**
 * Store changes are drawn at most twice a second (twice an interval when it is shorter): a guest
 * flooding notes made a change every 50 ms, a frame each kept the event loop busy, and keys waited
 * behind those renders (README, Performance).
 */
export const STORE_FRAME_GAP_MS = 500;

export function useFrame(
  store: Store,
  view: ViewState,
  dispatch: (a: ViewAction) => void,
  coalesce: { ms?: number; maxMs?: number; minGapMs?: number },
  /** The most table rows the terminal can show (its height will do): only those are dressed. */
  window?: number,
): FrameModel {
  const [version, setVersion] = useState(0);
  // One render per beat: a beat's samples are each a store change (redraw-gate.ts joins them).
  useEffect(() => {
    const gate = redrawGate(
      () => setVersion((v) => v + 1),
      coalesce.ms ?? 40,
      coalesce.maxMs ?? 300,
      undefined,
      () => coalesce.minGapMs ?? Math.min(STORE_FRAME_GAP_MS, store.intervalMs / 2),
    );
    const unsubscribe = store.subscribe(() => gate.changed());
    return () => {
      unsubscribe();
      gate.cancel();
    };
  }, [store, coalesce.ms, coalesce.maxMs, coalesce.minGapMs]);
  const frozen = useRef<FrameModel | undefined>(undefined);
  // `version` stands for the store's changes
  const live = useMemo(
    () => (view.paused ? undefined : buildFrame(store, view, { window })),
    [store, version, view.paused, view.filter, view.sort, view.reverse, view.selectedKey, window],
  );
  if (!view.paused) frozen.current = undefined;
  else frozen.current ??= buildFrame(store, view, { detach: true, window });
  const frame = live ?? frozen.current!;
  // The row the frame selects by default (the first, or the next when the selected one went) is
  // pinned: the selection then stays with its instance when the order changes, and a key acts on
  // the instance the screen showed, not on whichever is first after a re-sort.
  useEffect(() => {
    if (frame.selectedKey && frame.selectedKey !== view.selectedKey)
      dispatch({ type: 'select', key: frame.selectedKey });
  }, [frame.selectedKey, view.selectedKey, dispatch]);
  return frame;
}
