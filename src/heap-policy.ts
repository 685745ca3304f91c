import { setFlagsFromString } from 'node:v8';

/**
 * The gateway's heap policy: how far V8 lets the old generation grow past what survived the last full collection
 * before it collects again (HEAP_GROWTH_PERCENT).
 *
 * On a host with several GiB of memory V8 picks its most generous policy: the heap may grow to about four times
 * the live set before the next full collection. Under load nearly everything a request allocates outlives the young
 * generation (a request waits tens of milliseconds for AWS), so a gateway with a live set of 80 MB climbed to a
 * 400 MB heap and 480 MB resident between collections (`npm run bench`'s soak). Half the live set again keeps the
 * same soak near 210 MB (with the 16 MB young generation npm start asks for). Full collections come more often, each
 * over the same live set: about a quarter more CPU per request on the heaviest scenario (1.24 x in
 * `npm run bench:heap`); at 25 % (1.45 x) the soak peaked some 15 MB lower.
 *
 * V8 reads the setting at every full collection, so it applies from the moment it is set; `0` leaves V8's own.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
