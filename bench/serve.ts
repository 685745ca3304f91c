import { readFileSync } from 'node:fs';
import { flagsToEnv } from '../src/config.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MEMORY_PREFIX, READY_PREFIX } from './lib/processes.js';
import { type ServeKind, startTarget } from './lib/targets.js';

/**
 * One server under test in its own process, so its RSS is its own and it has an event loop to itself:
 *
 *   node --import tsx bench/serve.ts emulator --data '<GenerateOptions JSON>' --latency-ms 25
 *   node --import tsx bench/serve.ts gateway  --endpoint-url http://127.0.0.1:<emulator port>
 *   node --import tsx bench/serve.ts naive    --endpoint-url http://127.0.0.1:<emulator port>
 *   node --import tsx bench/serve.ts ceiling  --responses <file of CeilingResponse[]>
 *
 * Prints one line `BENCH_READY {"url":...,"pid":...}` once it accepts requests. It exits on SIGTERM/SIGINT, and when
 * its standard input closes, which happens when the benchmark that started it exits in any way, even killed.
 */

const KINDS: readonly ServeKind[] = ['emulator', 'gateway', 'naive', 'ceiling'];

/** A full garbage collection, with the gc function exposed at run time only when asked for. */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function main(): Promise<void> {
  const [kind, ...rest] = process.argv.slice(2);
  if (!KINDS.includes(kind as ServeKind)) throw new Error(`Unknown server "${kind}": use ${KINDS.join(', ')}`);
  const args = flagsToEnv(rest);
  const target = await startTarget(kind as ServeKind, {
    data: args.DATA ? JSON.parse(args.DATA) : undefined,
    latencyMs: args.LATENCY_MS ? Number(args.LATENCY_MS) : undefined,
    endpointUrl: args.ENDPOINT_URL,
    responses: args.RESPONSES ? JSON.parse(readFileSync(args.RESPONSES, 'utf8')) : undefined,
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 3_000).unref();
    target.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  // `memory` or `gc` on a line of its own: one MEMORY_PREFIX line with process.memoryUsage(), after a full
  // collection for `gc` (the live heap).
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input = (input + chunk.toString('utf8')).slice(-1_024);
    let end = input.indexOf('\n');
    while (end !== -1) {
      const command = input.slice(0, end).trim();
      input = input.slice(end + 1);
      if (command === 'memory' || command === 'gc') {
        if (command === 'gc') fullGc();
        process.stdout.write(`${MEMORY_PREFIX}${JSON.stringify(process.memoryUsage())}\n`);
      }
      end = input.indexOf('\n');
    }
  });
  process.stdin.resume();
  process.stdout.write(
    `${READY_PREFIX}${JSON.stringify({ url: target.url, pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000), ...target.details })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
