import { describe, expect, it } from 'vitest';
import { DocumentMemo } from '../../src/preflight/document-memo.js';

describe('preflight memo', () => {
  it('remembers a verdict per document and variables, and computes it once', () => {
    const memo = new DocumentMemo<number>();
    const document = {};
    let computed = 0;
    expect(memo.get(document, 'a', () => ++computed)).toBe(1);
    expect(memo.get(document, 'a', () => ++computed)).toBe(1);
    expect(computed).toBe(1);
  });

  it('keeps at most maxVariants variable sets per document, dropping the oldest', () => {
    const memo = new DocumentMemo<string>(3);
    const document = {};
    for (const key of ['a', 'b', 'c', 'd']) memo.get(document, key, () => key);
    expect(memo.sizeOf(document)).toBe(3);
    let recomputed = false;
    memo.get(document, 'a', () => {
      recomputed = true;
      return 'a';
    });
    expect(recomputed).toBe(true);
  });

  it('does not keep keys longer than its bound: large variables cannot fill memory', () => {
    const memo = new DocumentMemo<string>(64, 100);
    const document = {};
    for (let i = 0; i < 10; i++) memo.get(document, `${i}`.padEnd(101, 'x'), () => 'verdict');
    expect(memo.sizeOf(document)).toBe(0);
  });
});
