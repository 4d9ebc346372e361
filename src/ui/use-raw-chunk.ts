// The raw input chunk behind the key event being handled: Ink makes one key event of a chunk, so
// keys merged into one (a held arrow key over SSH) are taken apart from it (rawKeys). Must be
// called before useInput, so its listener on Ink's input emitter runs first for each chunk.
import { useStdin } from 'ink';
import { useCallback, useEffect, useRef } from 'react';

export function useRawChunk(): () => string | undefined {
  const { internal_eventEmitter: emitter } = useStdin();
  const last = useRef<string | undefined>(undefined);
  useEffect(() => {
    const onInput = (chunk: unknown) => {
      last.current = String(chunk);
    };
    emitter?.on('input', onInput);
    return () => {
      emitter?.removeListener('input', onInput);
    };
  }, [emitter]);
  // taken once: a later event without a chunk of its own never sees this one
  return useCallback(() => {
    const chunk = last.current;
    last.current = undefined;
    return chunk;
  }, []);
}
