import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, flagsToEnv, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig('gateway', {});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      aws: { defaultRegion: 'us-east-1', credentials: undefined },
    });
  });

  it('lets flags override the environment', () => {
    expect(flagsToEnv(['--port', '5000', '--aws-region=eu-west-1', '--introspection'])).toEqual({
      PORT: '5000',
      AWS_REGION: 'eu-west-1',
      INTROSPECTION: 'true',
    });
    expect(loadConfig('gateway', { PORT: '4001' }, ['--port', '5000']).port).toBe(5000);
  });

  it('reports every problem at once', () => {
    try {
      loadConfig('gateway', { PORT: 'abc', AWS_ENDPOINT_URL: 'not a url', AWS_MAX_CONCURRENCY: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'PORT',
        'AWS_ENDPOINT_URL',
        'AWS_MAX_CONCURRENCY',
      ]);
    }
  });

  it('bounds the memory caches in bytes by default, one entry at most an eighth of the resource cache', () => {
    expect(loadConfig('gateway', {}).cache.responseCacheBytes).toBe(8 * 1024 ** 2);
    expect(loadConfig('gateway', {}).cache).toMatchObject({
      maxBytes: 32 * 1024 ** 2,
      maxEntryBytes: 1024 ** 2,
      maxEntries: 50_000,
    });
    expect(loadConfig('gateway', { CACHE_MAX_BYTES: String(2 * 1024 ** 2) }).cache.maxEntryBytes).toBe(256 * 1024);
    expect(() => loadConfig('gateway', { CACHE_MAX_BYTES: '100000', CACHE_MAX_ENTRY_BYTES: '200000' })).toThrow(
      /CACHE_MAX_ENTRY_BYTES/,
    );
  });

  it('sizes the caches to a small heap: an eighth and a thirty-second of its limit', () => {
    // A process of its own, started as an operator would start a memory-capped gateway.
    const script = [
      "const { loadConfig } = await import('./src/config.ts');",
      "const { getHeapStatistics } = await import('node:v8');",
      "const c = loadConfig('gateway', {}).cache;",
      'const limit = getHeapStatistics().heap_size_limit;',
      'console.log(JSON.stringify({ limit, maxBytes: c.maxBytes, response: c.responseCacheBytes }));',
    ].join(' ');
    const out = execFileSync(
      process.execPath,
      ['--max-old-space-size=128', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' },
    );
    const { limit, maxBytes, response } = JSON.parse(out) as { limit: number; maxBytes: number; response: number };
    expect(maxBytes).toBe(Math.floor(limit / 8));
    expect(response).toBe(Math.floor(limit / 32));
    expect(maxBytes).toBeLessThan(32 * 1024 ** 2);
    expect(response).toBeLessThan(8 * 1024 ** 2);
  });

  it('refuses a default region outside the allow-list', () => {
    expect(() => loadConfig('gateway', { AWS_REGION: 'eu-west-1', ALLOWED_REGIONS: 'us-east-1,us-west-2' })).toThrow(
      /ALLOWED_REGIONS/,
    );
  });

  it('signs with the emulator credentials in demo mode only', () => {
    expect(loadConfig('demo', {}).aws.credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 'test' });
    expect(
      loadConfig('gateway', { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }).aws.credentials,
    ).toBeUndefined();
  });
});
