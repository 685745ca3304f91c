import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_SIZE,
  InvalidPageTokenError,
  decodePageToken,
  encodePageToken,
  paginate,
} from '../../src/emulator/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => i);

describe('page tokens', () => {
  it('round-trip the offset for the same scope', () => {
    expect(decodePageToken('scope-a', encodePageToken('scope-a', 42))).toBe(42);
  });

  it('are rejected for another scope', () => {
    expect(() => decodePageToken('scope-b', encodePageToken('scope-a', 42))).toThrow(InvalidPageTokenError);
  });

  it('are rejected when the offset was edited', () => {
    const token = encodePageToken('scope-a', 2);
    const forged = Buffer.from(Buffer.from(token, 'base64url').toString('latin1').replace('v1.2.', 'v1.3.')).toString(
      'base64url',
    );
    expect(() => decodePageToken('scope-a', forged)).toThrow(InvalidPageTokenError);
  });

  it.each(['', 'garbage', '!!!', 'djEuMQ'])('reject garbage %j', (token) => {
    expect(() => decodePageToken('scope-a', token)).toThrow(InvalidPageTokenError);
  });

  it('are opaque url-safe ASCII', () => {
    expect(encodePageToken('scope-a', 5)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('paginate', () => {
  it('serves every item once, in order, across pages', () => {
    const seen: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = paginate(items, { scope: 's', maxResults: 3, nextToken });
      seen.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(items);
  });

  it('gives no token on the last page', () => {
    expect(paginate(items, { scope: 's', maxResults: 7 }).nextToken).toBeUndefined();
  });

  it('uses the default page size when maxResults is omitted', () => {
    const many = Array.from({ length: DEFAULT_PAGE_SIZE + 1 }, (_, i) => i);
    const page = paginate(many, { scope: 's' });
    expect(page.items).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(page.nextToken).toBeDefined();
  });

  it('rejects a token that points past the end', () => {
    expect(() => paginate(items, { scope: 's', nextToken: encodePageToken('s', 7) })).toThrow(InvalidPageTokenError);
  });
});
