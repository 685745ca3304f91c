import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites start real HTTP servers on ephemeral loopback ports; run files in
    // parallel workers but keep each file's tests sequential so emulator call counts are exact.
    pool: 'forks',
    sequence: { concurrent: false },
    env: { APOLLO_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'silent' },
  },
});
