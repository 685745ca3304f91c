/**
 * Admission on second sighting (TinyLFU's "doorkeeper"): remembers, in a fixed bit array, which keys were offered
 * since the last reset, so that a cache keeps only what is asked for more than once. One-off keys (a batch of
 * random ids, a query run once) then never push out entries that are asked for again. Two bit positions per key;
 * a false positive only admits a key on its first sighting. The array is cleared after `slots / 8` offers, so what
 * it remembers ages and the false-positive rate stays near 5 %. Its memory is `slots / 8` bytes, whatever is offered.
 */
export class Doorkeeper {
  private readonly bits: Uint8Array;
  private readonly mask: number;
  private readonly resetAfter: number;
  private offers = 0;

  /** `slots`: bits, a power of two (default 2^20, 128 KiB). */
  constructor(slots = 1 << 20) {
    if (!Number.isInteger(Math.log2(slots)) || slots < 64) throw new Error('slots must be a power of two, >= 64');
    this.bits = new Uint8Array(slots >>> 3);
    this.mask = slots - 1;
    this.resetAfter = slots >>> 3;
  }

  /** Bytes of its bit array: fixed at construction. */
  get bytes(): number {
    return this.bits.byteLength;
  }

  /** True when `key` was offered before (since the last reset); records it either way. */
  offer(key: string): boolean {
    if (++this.offers > this.resetAfter) {
      this.bits.fill(0);
      this.offers = 1;
    }
    const hash = fnv1a(key);
    // The second position from the same hash, remixed (the two are close enough to independent for admission).
    const first = hash & this.mask;
    const second = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
    const a = this.test(first);
    const b = this.test((second ^ (second >>> 12)) & this.mask);
    return a && b;
  }

  /** Sets the bit at `index`; true when it was set already. */
  private test(index: number): boolean {
    const byte = index >>> 3;
    const bit = 1 << (index & 7);
    const value = this.bits[byte] ?? 0;
    this.bits[byte] = value | bit;
    return (value & bit) !== 0;
  }
}

/** 32-bit FNV-1a over the string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
