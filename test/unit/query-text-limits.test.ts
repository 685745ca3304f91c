import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkQueryText } from '../../src/security/limits.js';

const limits = loadConfig('gateway', {}).security.limits;
const QUERY = '{ a: eventStream(domainName: "retail", name: "orders") { name } b: internetEvents { totalCount } }';

describe('query text limits', () => {
  it('accepts a text within the limits, again when it is sent again', () => {
    expect(checkQueryText(QUERY, limits)).toBeNull();
    expect(checkQueryText(QUERY, limits)).toBeNull();
  });

  it('judges a text already accepted under other limits by the limits it is sent with', () => {
    expect(checkQueryText(QUERY, limits)).toBeNull();
    const strict = { ...limits, maxTokens: 10 };
    expect(checkQueryText(QUERY, strict)?.extensions).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: 10 });
    // and a refusal is not remembered as an acceptance, nor the other way round
    expect(checkQueryText(QUERY, strict)?.extensions).toMatchObject({ code: 'TOO_MANY_TOKENS' });
    expect(checkQueryText(QUERY, limits)).toBeNull();
  });

  it('refuses a text past the byte limit even when a shorter one was accepted', () => {
    const small = { ...limits, maxQueryBytes: 200 };
    expect(checkQueryText(QUERY, small)).toBeNull();
    const long = `${QUERY}${' '.repeat(200)}`;
    expect(checkQueryText(long, small)?.extensions).toMatchObject({ code: 'QUERY_TOO_LARGE' });
  });
});
