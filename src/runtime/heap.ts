// V8 heap settings for a long-running monitor, measured with the TUI on 30 real guests at 1 Hz
// (bench/results.md). Two things kept its resident memory growing between V8's own full
// collections, which come only when the old generation has grown to a multiple of what is live:
// - The young generation starts at 1 MiB per semi-space and grows to 16 when much survives a
//   scavenge (history buffers filling up do): +30 MiB resident, and more CPU (caches). It is kept
//   at its start size (a V8 flag read each time it would grow, so it can be set at run time).
// - Objects that live one refresh (the previous sample, the previous frame's view) survive two
//   scavenges and are promoted, then wait in the old generation for a full collection: RSS swung
//   between 94 and 111 MiB. A full collection every 10 s (~6 ms each with 30 guests) kept it at
//   91-94 MiB (every 5 s: 91-93).
import v8 from 'node:v8';
import vm from 'node:vm';

let timer: NodeJS.Timeout | undefined;

export function tuneHeap(compactEveryMs = 10_000): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (timer || compactEveryMs <= 0) return;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return;
  timer = setInterval(() => gc(), compactEveryMs);
  timer.unref();
}
