import { type Config, loadConfig } from '../../src/config.js';
import { type Fixtures, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import type { DestinationStream } from '../../src/logger.js';
import { type Gateway, startGateway } from '../../src/server.js';

/** A pino destination that keeps every line, parsed. */
export class LogCapture implements DestinationStream {
  readonly raw: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.raw.push(line);
  }

  records(): Array<Record<string, any>> {
    return this.raw.map((line) => JSON.parse(line) as Record<string, any>);
  }

  operations(): Array<Record<string, any>> {
    return this.records().filter((r) => r.msg === 'graphql operation');
  }

  clear(): void {
    this.raw.length = 0;
  }
}

export interface LoggedStack {
  emulator: RunningEmulator;
  gateway: Gateway;
  logs: LogCapture;
  close(): Promise<void>;
}

/** The emulator and a gateway whose log lines land in `logs` (stack.ts's startStack, with a log destination). */
export async function startLoggedStack(fixtures: Fixtures, env: Record<string, string> = {}): Promise<LoggedStack> {
  const emulator = await startEmulator({ port: 0, fixtures });
  const base = loadConfig('demo', { PORT: '0', LOG_LEVEL: 'info', CACHE_STORE: 'none', ...env });
  const config: Config = { ...base, aws: { ...base.aws, endpointUrl: emulator.url } };
  const logs = new LogCapture();
  const gateway = await startGateway(config, { logDestination: logs });
  return {
    emulator,
    gateway,
    logs,
    async close() {
      await gateway.close();
      await emulator.close();
    },
  };
}
