import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../../src/cache/doorkeeper.js';
import { ResponseStore } from '../../src/cache/response-cache.js';

const hex = (i: number) => `${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`;

describe('Doorkeeper', () => {
  it('knows a key on its second offer, and rarely mistakes a new key for a known one', () => {
    const door = new Doorkeeper();
    expect(door.offer('query-a')).toBe(false);
    expect(door.offer('query-a')).toBe(true);
    expect(door.offer('query-b')).toBe(false);
    // 100,000 keys, as many as fit before a reset: few are taken for known ones.
    let mistaken = 0;
    for (let i = 0; i < 100_000; i++) if (door.offer(hex(i))) mistaken++;
    expect(mistaken / 100_000).toBeLessThan(0.05);
    expect(door.offer(hex(99_999))).toBe(true);
  });

  it('forgets what it saw once it has taken an eighth of its slots in offers, so its memory stays fixed', () => {
    const door = new Doorkeeper(1 << 12);
    expect(door.bytes).toBe(512);
    door.offer('old');
    for (let i = 0; i < 512; i++) door.offer(hex(i));
    expect(door.offer('old')).toBe(false);
    for (let i = 0; i < 100_000; i++) door.offer(hex(i));
    expect(door.bytes).toBe(512);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new Doorkeeper(1000)).toThrow(/power of two/);
  });
});

describe('ResponseStore admission', () => {
  const bounds = { maxBytes: 1024 ** 2, maxEntryBytes: 64 * 1024 };

  it('admits a key on its second sighting by default, and counts the first', () => {
    let first = 0;
    const store = new ResponseStore({ ...bounds, onFirstSighting: () => first++ });
    expect(store.admits('k')).toBe(false);
    expect(store.admits('k')).toBe(true);
    expect(store.admits('k')).toBe(true);
    expect(first).toBe(1);
    store.stop();
  });

  it('admits every key with RESPONSE_CACHE_ADMISSION=first', () => {
    let first = 0;
    const store = new ResponseStore({ ...bounds, admission: 'first', onFirstSighting: () => first++ });
    expect(store.admits('k')).toBe(true);
    expect(first).toBe(0);
    store.stop();
  });

  it('remembers sightings across an invalidation: they say what is asked for, not what is true', () => {
    const store = new ResponseStore(bounds);
    store.admits('k');
    store.invalidate();
    expect(store.admits('k')).toBe(true);
    store.stop();
  });
});
