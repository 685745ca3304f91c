import { seededRandom } from '../../src/emulator/random.js';

/** `count` distinct items picked at random (seeded: the same seed picks the same items), in their list order. */
export function seededPick<T>(items: readonly T[], count: number, seed: number): T[] {
  if (items.length < count) throw new Error(`cannot pick ${count} of ${items.length} items`);
  const random = seededRandom(seed);
  const indexes = new Set<number>();
  // Bounded: each draw adds an index with probability >= (n - count + 1) / n.
  for (let draws = 0; indexes.size < count && draws < count * 1000; draws++)
    indexes.add(Math.floor(random() * items.length));
  if (indexes.size < count) throw new Error('seededPick: too few distinct draws');
  return [...indexes].sort((x, y) => x - y).map((i) => items[i]!);
}
