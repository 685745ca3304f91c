import { type Socket, connect } from 'node:net';

/** A raw TCP connection to an HTTP server: for requests no HTTP client would send (slow, malformed, HTTP/1.0). */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once `pattern` appears in what the server sent (bounded: rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the server (or we) closed the connection. */
  closed: Promise<void>;
  /** True once the connection is closed, false if it is still open after `timeoutMs`. */
  closedWithin(timeoutMs: number): Promise<boolean>;
  isClosed(): boolean;
}

export async function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let data = '';
  let closedFlag = false;
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
    for (const listener of listeners) listener();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedFlag = true;
      for (const listener of listeners) listener();
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => data,
    closed,
    isClosed: () => closedFlag,
    closedWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]).finally(() => clearTimeout(timer));
    },
    waitFor(pattern, timeoutMs = 5_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(data)) done(resolve);
          else if (closedFlag) done(() => reject(new Error(`closed before ${pattern}: ${data.slice(0, 300)}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms`))),
          timeoutMs,
        );
        const done = (finish: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          finish();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/**
 * Sends `bytes` one at a time, every `intervalMs`, until all are sent or the connection closes; resolves with how
 * many were sent. A load pattern (a slow client), not a wait for anything.
 */
export function trickle(connection: RawConnection, bytes: string, intervalMs = 50): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const timer = setInterval(() => {
      if (connection.isClosed() || sent >= bytes.length) {
        clearInterval(timer);
        resolve(sent);
        return;
      }
      connection.socket.write(bytes[sent]!);
      sent++;
    }, intervalMs);
  });
}
