import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openRaw, trickle } from '../helpers/raw-http.js';
import { type GatewayProcess, startDemoProcess } from './process.js';

const QUERY = JSON.stringify({ query: '{ internetEvents(first: 1) { nodes { eventId } } }' });

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function emulatorCalls(proc: GatewayProcess): Promise<number> {
  return ((await (await fetch(`${proc.emulatorUrl}/_emulator/stats`)).json()) as { total: number }).total;
}

/** Sends the query (without waiting for its answer) once AWS is slow, and resolves once the AWS call is under way. */
async function slowOperationInFlight(proc: GatewayProcess, latencyMs: number) {
  await fetch(`${proc.emulatorUrl}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ service: 'internetmonitor', latencyMs }] }),
  });
  const answer = fetch(proc.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: QUERY,
  }).then(
    async (res) => ({ status: res.status, body: (await res.json()) as { data?: any; errors?: unknown[] } }),
    (error: unknown) => ({ status: 0, error }),
  );
  await vi.waitFor(async () => expect(await emulatorCalls(proc)).toBe(1), { timeout: 5_000, interval: 25 });
  // Wrapped: an async function returning the promise itself would only resolve once the answer arrives.
  return { answer };
}

describe('graceful shutdown', () => {
  let proc: GatewayProcess | undefined;
  afterEach(async () => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    proc = undefined;
  });

  it('on SIGTERM stops accepting connections, answers the operation in flight, then exits 0', async () => {
    proc = await startDemoProcess();
    const { answer } = await slowOperationInFlight(proc, 1_500);

    proc.child.kill('SIGTERM');
    await vi.waitFor(async () => expect(await refusesConnections(proc!.gatewayUrl)).toBe(true), {
      timeout: 5_000,
      interval: 25,
    });

    const result = await answer;
    expect(result).toMatchObject({
      status: 200,
      body: { data: { internetEvents: { nodes: [{ eventId: expect.any(String) }] } } },
    });
    expect((result as { body: { errors?: unknown } }).body.errors).toBeUndefined();
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toMatch(/every in-flight operation was answered/);
  });

  it('on SIGTERM closes a client still trickling its request, and exits 0 before the deadline', async () => {
    proc = await startDemoProcess({ SHUTDOWN_TIMEOUT_MS: '8000' });
    const slow = await openRaw(proc.gatewayUrl);
    slow.socket.write(
      'POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n' +
        'Expect: 100-continue\r\n\r\n',
    );
    // The gateway has the request's headers: it is a request in progress, not an idle connection.
    await slow.waitFor(/^HTTP\/1\.1 100 Continue/);
    // 500 bytes at one every 50 ms: 25 s, far past the deadline.
    const sent = trickle(slow, '{'.repeat(500));

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(await sent).toBeLessThan(500);
    expect(slow.isClosed()).toBe(true);
    expect(proc.output()).toMatch(/every in-flight operation was answered/);
  });

  it('closes what is still open at SHUTDOWN_TIMEOUT_MS and exits 1', async () => {
    proc = await startDemoProcess({
      SHUTDOWN_TIMEOUT_MS: '300',
      OPERATION_TIMEOUT_MS: '20000',
      AWS_CALL_TIMEOUT_MS: '20000',
    });
    const { answer } = await slowOperationInFlight(proc, 10_000);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(1);
    expect((await answer).status).toBe(0);
    expect(proc.output()).toMatch(/Shutdown deadline of 300 ms reached/);
  });
});
