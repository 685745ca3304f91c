import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CommonJS (main) and ESM (module) builds; Node, and so Apollo, loads the CommonJS one. Tests must
    // load the same instance, or graphql's own instanceof checks fail across the two copies.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration suites start real HTTP servers on ephemeral loopback ports; run files in
    // parallel workers but keep each file's tests sequential so emulator call counts are exact.
    pool: 'forks',
    sequence: { concurrent: false },
    env: {
      APOLLO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'silent',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
