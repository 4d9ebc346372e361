// V8 heap settings for a long-running monitor, measured with the TUI on 30 real guests at 1 Hz
// (bench/results.md). Two things kept its resident memory growing between V8's own full
// collections, which come only when the old generation has grown to a multiple of what is live:
// - The young generation starts at 1 MiB per semi-space and grows to 16 when much survives a
//   scavenge (history buffers filling up do): +30 MiB resident, and more CPU (caches). It is kept
//   at its start size (a V8 flag read each time it would grow, so it can be set at run time).
//   The launcher (bin/umltop's first line) makes that start size 2 MiB, which only a command-line
//   flag can do. With 1 MiB the TUI scavenged 2.6 times a second, ~1 ms each (10 guests): the
//   objects of a frame or a sample still alive at a scavenge are copied, twice, then promoted.
//   Alternating runs, 60 s each: replaying a 10-guest recording, 1.20–1.47 % of a core with 1 MiB
//   against 0.90–1.00 % with 2 MiB (4 runs each); live on 10 guests 2.40/2.57 % against
//   2.07/2.10 %. 4 MiB (0.97/1.12 %) and 8 MiB (1.23 %) were worse than 2 in the replay.
// - Objects that live one refresh (the previous sample, the previous frame's view) survive two
//   scavenges and are promoted, then wait in the old generation for a full collection: RSS swung
//   between 94 and 111 MiB. A full collection every 10 s (~6 ms each with 30 guests) kept it at
//   91-94 MiB (every 5 s: 91-93). But a full collection also wakes V8's helper threads (marking,
//   sweeping): with 10 guests, collecting every 10 s whether or not anything had piled up cost
//   ~0.4 % of a core. So the timer only looks, and collects when the heap has grown since its
//   low point by more than 2 MiB or a quarter of that low point, whichever is more.
import v8 from 'node:v8';
import vm from 'node:vm';

let timer: NodeJS.Timeout | undefined;

/** Whether a heap of `used` bytes, whose lowest size since the last full collection was `low`, is worth collecting. */
export function worthCompacting(used: number, low: number): boolean {
  return used - low > Math.max(2 * 1048576, low / 4);
}

export function tuneHeap(checkEveryMs = 10_000): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (timer || checkEveryMs <= 0) return;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return;
  let low = Infinity;
  timer = setInterval(() => {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used < low) low = used; // V8 collected on its own, or the heap shrank
    if (!worthCompacting(used, low)) return;
    gc();
    low = v8.getHeapStatistics().used_heap_size;
  }, checkEveryMs);
  timer.unref();
}
