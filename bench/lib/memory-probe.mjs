// Preloaded into the product under a benchmark (`node --import ./bench/lib/memory-probe.mjs dist/gateway.js`), so
// the soak can read the live heap of the very process it loads: a line `memory` or `gc` on standard input prints one
// `BENCH_MEMORY <process.memoryUsage() JSON>` line, after a full collection for `gc`. Plain JavaScript, so the
// product runs without a transpiler in its process. The prefix is MEMORY_PREFIX in processes.ts.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const PREFIX = 'BENCH_MEMORY ';

function fullGc() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

let input = '';
process.stdin.on('data', (chunk) => {
  input = (input + chunk.toString('utf8')).slice(-1_024);
  let end = input.indexOf('\n');
  while (end !== -1) {
    const command = input.slice(0, end).trim();
    input = input.slice(end + 1);
    if (command === 'memory' || command === 'gc') {
      if (command === 'gc') fullGc();
      process.stdout.write(`${PREFIX}${JSON.stringify(process.memoryUsage())}\n`);
    }
    end = input.indexOf('\n');
  }
});
// Ends with the benchmark, however it ends: the product has no other reason to read its standard input.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.stdin.unref?.();
