import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('packaging', () => {
  it('has a docker-compose file that docker-compose accepts, wiring the gateway to the emulator', () => {
    // docker-compose (Debian) parses and validates the file without a Docker engine; .ci/run installs it.
    const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
    expect(config).toContain('AWS_ENDPOINT_URL: http://emulator:4566');
    expect(config).toMatch(/gateway:[\s\S]*depends_on:[\s\S]*emulator/);
  });

  it('grants exactly the AWS actions the gateway calls, read-only', () => {
    const policy = JSON.parse(readFileSync('iam/gateway-policy.json', 'utf8')) as { Statement: Array<{ Action: string[] }> };
    const actions = policy.Statement.flatMap((s) => s.Action).sort();
    // Every AWS call goes through AwsCaller.call with its signing name (= IAM prefix) and operation.
    const called = new Set<string>();
    for (const module of readdirSync('src/modules')) {
      if (!existsSync(`src/modules/${module}/loaders.ts`)) continue;
      const source = readFileSync(`src/modules/${module}/loaders.ts`, 'utf8');
      for (const m of source.matchAll(/service: '(\w+)', operation: '(\w+)'/g)) called.add(`${m[1]}:${m[2]}`);
    }
    expect(actions).toEqual([...called].sort());
    expect(actions).toHaveLength(7);
  });

  it('runs as a non-root user in a multi-stage image', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
