// V8 heap settings for a long-running monitor (figures: README, Performance).
// - The young generation is kept at its start size (2 MiB semi-spaces, set by bin/umltop's first
//   line, the only place that can): letting it grow when history buffers fill up costs resident
//   memory and cache misses, and 1 MiB scavenges too often. With a large fleet it may grow up to
//   the launcher's maximum (sizeYoungGeneration).
// - Objects that live one refresh survive two scavenges and are promoted, then wait in the old
//   generation for a full collection, so RSS swings. A full collection wakes V8's helper threads,
//   so the timer only looks, and collects when the heap has grown since its low point by more than
//   2 MiB or a quarter of that low point, whichever is more.
import v8 from 'node:v8';
import vm from 'node:vm';

let timer: NodeJS.Timeout | undefined;

/** Whether a heap of `used` bytes, whose lowest size since the last full collection was `low`, is worth collecting. */
export function worthCompacting(used: number, low: number): boolean {
  return used - low > Math.max(2 * 1048576, low / 4);
}

/** Instances from which the young generation may grow (to the launcher's maximum). */
export const LARGE_FLEET = 40;
let growing = false;

/**
 * With a large fleet, a sample's objects are many more than 2 MiB semi-spaces hold between two
 * scavenges: let V8 grow the young generation up to bin/umltop's maximum (fewer scavenges, each
 * copying about as much). Small fleets keep 2 MiB, which measured best for them.
 */
export function sizeYoungGeneration(instances: number): void {
  if (growing || instances < LARGE_FLEET) return;
  growing = true;
  v8.setFlagsFromString('--semi-space-growth-factor=2');
}

/** Size the young generation as the store's fleet grows; returns the unsubscribe. */
export function followFleetSize(store: {
  records: { size: number };
  subscribe(listener: () => void): () => void;
}): () => void {
  return store.subscribe(() => sizeYoungGeneration(store.records.size));
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
