/**
 * lru-cache options that bound a cache to `entries` entries, allocated as they come. lru-cache's own `max`
 * allocates its index arrays for all of them at once (at 50,000 entries about 1.2 MB per cache, 2.6 MB with TTLs),
 * held for the life of the process whether or not anyone ever fills them; counting every entry as size 1 against
 * `maxSize` is the same bound, evicting least recently used first, without that.
 */
export function entryBound(entries: number): { maxSize: number; sizeCalculation: () => number } {
  return { maxSize: entries, sizeCalculation: () => 1 };
}
