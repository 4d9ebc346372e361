// Keys from the terminal through Ink's public face: useStdin's stream and setRawMode. Ink reads the
// stream (in raw mode) and each chunk it reads is also a 'data' event, in order; parseKeys takes
// the chunk apart into keys. Ink's own key events are not used: Ink 6.8 splits a chunk at escape
// sequences, but hands an unknown sequence (a focus or mouse report) on as typed text and drops the
// Esc of Esc followed by a symbol (docs/ink-6.8.md).
import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { type Key, parseKeys } from './keys/keymap.js';

/** Calls `onKeys` with the keys of each chunk typed while `active` (inactive: the terminal is the guest console's). */
export function useKeys(onKeys: (keys: Key[], raw: string) => void, active: boolean): void {
  const { stdin, setRawMode, isRawModeSupported } = useStdin();
  const handler = useRef(onKeys);
  handler.current = onKeys;
  useEffect(() => {
    if (!active) return;
    if (isRawModeSupported) setRawMode(true);
    const onData = (chunk: Buffer | string) => {
      const raw = String(chunk);
      handler.current(parseKeys(raw), raw);
    };
    stdin.on('data', onData);
    return () => {
      stdin.off('data', onData);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [active, stdin, setRawMode, isRawModeSupported]);
}
