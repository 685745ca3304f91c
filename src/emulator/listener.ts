import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type Http2Session } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

/*
 * One port for HTTP/1.1 and cleartext HTTP/2. Most SDK clients speak HTTP/1.1, but some default to HTTP/2 (the
 * Kinesis client's NodeHttp2Handler connects to an http:// endpoint with HTTP/2 "prior knowledge"). Each connection
 * is handed to the server of its protocol, told apart by its first bytes: HTTP/2 opens with `PRI * HTTP/2.0`.
 * node:http2's compatibility API mirrors node:http's request and response for what the emulator uses (method, url,
 * headers, the body stream, writeHead/write/end/destroy), so one handler serves both.
 */

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export class DualProtocolListener {
  private readonly tcp: TcpServer;
  private readonly http1: Server;
  private readonly http2: Http2Server;
  private readonly sessions = new Set<Http2Session>();
  /** Every open connection: SDK clients keep theirs alive, and close() must not wait for their idle timeout. */
  private readonly sockets = new Set<Socket>();

  constructor(handler: RequestHandler) {
    this.http1 = createServer(handler);
    // The compatibility request and response stand in for node:http's (see above).
    this.http2 = createHttp2Server((req, res) => handler(req as never, res as never));
    this.http2.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    this.tcp = createTcpServer((socket) => this.route(socket));
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        resolve();
      });
    });
    return this.tcp.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Reads until the bytes tell HTTP/2's preface from anything else, then hands the connection over unread. */
  private route(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const length = Math.min(seen.length, HTTP2_PREFACE.length);
      const http2 = seen.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
      // Still a prefix of the preface: wait for more (a request line never starts with "PRI * HTTP/2.0").
      if (http2 && seen.length < HTTP2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      if (http2) {
        // The HTTP/2 session reads what is buffered on the socket, then the socket's handle itself.
        this.http2.emit('connection', socket);
      } else {
        // The HTTP/1 parser takes the buffered bytes as 'data' events once the socket flows again.
        this.http1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  }
}
