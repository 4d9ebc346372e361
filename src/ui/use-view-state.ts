// The view state, with the state the last key produced readable at once: keys can arrive faster
// than React re-renders (over SSH they often do), and the reducer is pure, so applying it here
// gives exactly what React will compute.
import { useCallback, useReducer, useRef } from 'react';
import { initialViewState, type ViewAction, type ViewState, viewReducer } from './view-state.js';

export function useViewState(initial?: Partial<ViewState>) {
  const [view, reactDispatch] = useReducer(viewReducer, { ...initialViewState, ...initial });
  const latest = useRef<ViewState>(view);
  const dispatch = useCallback((a: ViewAction) => {
    latest.current = viewReducer(latest.current, a);
    reactDispatch(a);
  }, []);
  return { view, latest: () => latest.current, dispatch };
}
