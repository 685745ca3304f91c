import { describe, expect, it } from 'vitest';
import { FirstPageMemo } from '../../src/planner.js';

const page = (list: number) => ({
  ids: new Set(Array.from({ length: 100 }, (_, i) => `aws:123456789012:us-east-1:profile:event-stream/d${list}/s${i}`)),
  complete: false,
});

describe('first-page memo', () => {
  it('stays within its byte bound, ids counted, dropping the least recently used lists', () => {
    const memo = new FirstPageMemo(256 * 1024);
    for (let list = 0; list < 200; list++) memo.set(`ListEventStreams:aws:123456789012:us-east-1:d${list}`, page(list));
    expect(memo.bytes).toBeGreaterThan(128 * 1024);
    expect(memo.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(memo.get('ListEventStreams:aws:123456789012:us-east-1:d199')?.ids.size).toBe(100);
    expect(memo.get('ListEventStreams:aws:123456789012:us-east-1:d0')).toBeUndefined();
  });
});
