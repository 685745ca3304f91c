import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/** A loopback port nothing listens on (bound by the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A private redis-server on a free loopback port, ready when this resolves (bounded: 10 s). */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not become ready within 10 s')), 10_000);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (Debian: apt-get install -y redis-server): ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('health probes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());

  it('answers /healthz with 200 and no caching', async () => {
    const res = await fetch(new URL('/healthz', stack.gateway.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and its checks, skipping the cache check for the in-memory store', async () => {
    stack.resetCalls();
    const res = await fetch(new URL('/readyz', stack.gateway.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'skipped' } });
    // Probes run every few seconds on every replica: they must not cost AWS calls.
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('readiness with Redis', () => {
  it('is not ready (503) while the configured Redis cannot be reached', async () => {
    const stack = await startStack({ fixtures: gatewayFixtures(), env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    try {
      const res = await fetch(new URL('/readyz', stack.gateway.url));
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', checks: { schema: 'ok', aws: 'ok', cache: 'failed' } });
      // Liveness is a different question: the process is fine, restarting it would not bring Redis back.
      expect((await fetch(new URL('/healthz', stack.gateway.url))).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('is ready (200) once the configured Redis answers', async () => {
    const redis = await startRedis();
    const stack = await startStack({ fixtures: gatewayFixtures(), env: { REDIS_URL: redis.url } });
    try {
      const res = await fetch(new URL('/readyz', stack.gateway.url));
      expect(await res.json()).toEqual({ status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'ok' } });
      expect(res.status).toBe(200);
    } finally {
      await stack.close();
      await redis.stop();
    }
  });
});
