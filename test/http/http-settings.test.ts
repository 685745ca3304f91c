import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('HTTP settings', () => {
  it('turns the playground on in the demo and in development, off in production', () => {
    expect(loadConfig('demo', { NODE_ENV: 'production' }).http.playground).toBe(true);
    expect(loadConfig('gateway', { NODE_ENV: 'development' }).http.playground).toBe(true);
    expect(loadConfig('gateway', { NODE_ENV: 'production' }).http.playground).toBe(false);
  });

  it('lets PLAYGROUND override the default either way', () => {
    expect(loadConfig('gateway', { NODE_ENV: 'production', PLAYGROUND: 'true' }).http.playground).toBe(true);
    expect(loadConfig('demo', {}, ['--playground', 'false']).http.playground).toBe(false);
  });

  it('opens CORS to every origin only in the demo by default', () => {
    expect(loadConfig('demo', {}).http.corsOrigins).toEqual(['*']);
    expect(loadConfig('gateway', {}).http.corsOrigins).toEqual([]);
    expect(loadConfig('gateway', { NODE_ENV: 'development' }).http.corsOrigins).toEqual([]);
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins', () => {
    expect(
      loadConfig('gateway', { CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).http.corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('refuses CORS_ORIGINS entries that are not origins', () => {
    const load = () =>
      loadConfig('gateway', { CORS_ORIGINS: 'https://app.example.com/path,example.com,https://ok.example.com' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'CORS_ORIGINS: https://app.example.com/path is not an origin (scheme://host[:port], no path), nor *',
        'CORS_ORIGINS: example.com is not an origin (scheme://host[:port], no path), nor *',
      ]);
    }
  });
});
