import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type RawConnection, openRaw, trickle } from '../helpers/raw-http.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * Slow clients against the timeouts the HTTP server is created with (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS), the
 * connection cap (MAX_CONNECTIONS) and the keep-alive timeout.
 */

const BODY = JSON.stringify({ query: '{ internetEvents(first: 1) { nodes { eventId } } }' });

function postHead(length: number): string {
  return (
    'POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${length}\r\n\r\n`
  );
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    fixtures: gatewayFixtures(),
    env: { REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000', KEEP_ALIVE_TIMEOUT_MS: '4000' },
  });
});
afterAll(() => stack?.close());

describe('slow clients', () => {
  it('answers 408 and closes a connection whose body trickles in past REQUEST_TIMEOUT_MS', async () => {
    const connection = await openRaw(stack.gateway.url);
    connection.socket.write(postHead(BODY.length));
    // 100 bytes at one every 50 ms would take 5 s; the request timeout is 1 s.
    const sent = await trickle(connection, BODY.slice(0, 100));
    expect(await connection.closedWithin(2_000)).toBe(true);
    expect(sent).toBeLessThan(100);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection whose headers trickle in past HEADERS_TIMEOUT_MS', async () => {
    const connection = await openRaw(stack.gateway.url);
    const head = `GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Padding: ${'p'.repeat(100)}\r\n\r\n`;
    const sent = await trickle(connection, head);
    expect(await connection.closedWithin(2_000)).toBe(true);
    expect(sent).toBeLessThan(head.length);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still answers a request that arrives at once', async () => {
    const res = await stack.query('{ internetEvents(first: 1) { nodes { eventId } } }');
    expect(res.status).toBe(200);
  });

  it('keeps an idle connection for KEEP_ALIVE_TIMEOUT_MS and says so', async () => {
    const res = await fetch(stack.gateway.url.replace(/\/graphql$/, '/healthz'));
    await res.text();
    expect(res.headers.get('keep-alive')).toBe('timeout=4');
  });
});

describe('connection cap', () => {
  let capped: Stack;
  const open: RawConnection[] = [];
  beforeAll(async () => {
    capped = await startStack({ fixtures: gatewayFixtures(), env: { MAX_CONNECTIONS: '2' } });
  });
  afterAll(async () => {
    for (const connection of open) connection.socket.destroy();
    await capped?.close();
  });

  async function keptAlive(): Promise<RawConnection> {
    const connection = await openRaw(capped.gateway.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await connection.waitFor(/\r\n\r\n\{"status":"ok"\}/);
    open.push(connection);
    return connection;
  }

  it('closes connections beyond MAX_CONNECTIONS at once, and accepts again when one is closed', async () => {
    await keptAlive();
    const second = await keptAlive();
    const third = await openRaw(capped.gateway.url);
    third.socket.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    expect(await third.closedWithin(5_000)).toBe(true);
    expect(third.received()).toBe('');

    second.socket.destroy();
    await second.closed;
    // The server counts the closed connection out when its own side closes: a fresh connection is let in then.
    const fourth = await openRaw(capped.gateway.url);
    fourth.socket.write('GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await fourth.waitFor(/^HTTP\/1\.1 200 /);
    open.push(fourth);
  });
});

describe('timeout settings', () => {
  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => loadConfig('gateway', { REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(
      ConfigError,
    );
    expect(loadConfig('gateway', {}).security.server).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 1_024,
    });
  });
});
