import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';

describe('packaging', () => {
  it('has a docker-compose file that docker-compose accepts, wiring the gateway to the emulator', () => {
    // docker-compose (Debian) parses and validates the file without a Docker engine; .ci/run installs it.
    const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
    expect(config).toContain('AWS_ENDPOINT_URL: http://emulator:4566');
    // A frontend on the developer's machine may call the gateway from a browser.
    expect(config).toMatch(/CORS_ORIGINS: \S*http:\/\/localhost:5173/);
    expect(config).toMatch(/gateway:[\s\S]*depends_on:[\s\S]*emulator/);
  });

  it('grants exactly the AWS actions the modules declare, read-only', () => {
    const actions = policyActions('iam/gateway-policy.json');
    expect(actions).toEqual([...buildCatalog(modules).iamActions]);
    expect(actions.every((a) => /^[a-z]+:(Get|List|Describe)[A-Za-z]+$/.test(a))).toBe(true);
  });

  it('declares every AWS operation a module calls in its loaders among its IAM actions', () => {
    // Every AWS call goes through AwsCaller.call with a site naming the operation; the service is the module's.
    for (const module of modules) {
      const file = `src/modules/${module.name}/loaders.ts`;
      if (!existsSync(file)) continue;
      const called = calledOperations(file);
      const declared = module.awsServices.flatMap((s) => s.iamActions.map((a) => a.split(':')[1]));
      expect(called.length, file).toBeGreaterThan(0);
      expect(called, file).toEqual([...new Set(declared)].sort());
    }
  });

  it('grants exactly the write actions the modules declare in a second policy, and nothing the read policy has', () => {
    const actions = policyActions('iam/gateway-write-policy.json');
    const { writeIamActions, iamActions } = buildCatalog(modules);
    expect(actions).toEqual([...writeIamActions]);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => iamActions.includes(a))).toEqual([]);
  });

  it('declares every write a module makes in its mutations, and calls every write it declares', () => {
    // A mutation's calls are writes (declared by operation in writeIamActions) or reads (among iamActions).
    for (const module of modules) {
      const file = `src/modules/${module.name}/mutations.ts`;
      const writes = module.awsServices.flatMap((s) => Object.keys(s.writeIamActions ?? {})).sort();
      if (!existsSync(file)) {
        expect(writes, module.name).toEqual([]);
        continue;
      }
      const reads = module.awsServices.flatMap((s) => s.iamActions.map((a) => a.split(':')[1]));
      const called = calledOperations(file);
      expect(
        called.filter((operation) => !reads.includes(operation)),
        file,
      ).toEqual(writes);
    }
  });

  it('runs as a non-root user in a multi-stage image', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const stages = dockerfile.match(/^FROM .* AS (\w+)$/gm)?.map((line) => line.split(' AS ')[1]);
    expect(stages).toEqual(['build', 'emulator', 'gateway']);
    expect(stage(dockerfile, 'emulator')).toMatch(/^USER node$/m);
    expect(stage(dockerfile, 'gateway')).toMatch(/^USER node$/m);
  });

  it('builds every bundle from what codegen and the build read, examples/ and scripts/ included', () => {
    const build = stage(readFileSync('Dockerfile', 'utf8'), 'build');
    for (const copied of ['codegen.ts', 'schema', 'examples', 'scripts', 'src']) {
      expect(build).toMatch(new RegExp(`^COPY .*\\b${copied}\\b`, 'm'));
    }
    expect(build).toMatch(/npm run codegen:check && npm run build/);
  });

  it('puts only its own bundle in each image: the gateway (the default target) and the emulator', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const gateway = stage(dockerfile, 'gateway');
    expect(gateway).toContain(
      'COPY --from=build --chown=node:node /app/dist/gateway.js /app/dist/gateway.js.map /app/dist/gateway.js.LEGAL.txt',
    );
    expect(gateway).not.toMatch(/emulator|demo/);
    // The container runs the gateway exactly as `npm start` does, Node's heap flags included.
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toMatch(/^node (--[\w-]+=\S+ )*dist\/gateway\.js$/);
    expect(gateway).toContain(`ENTRYPOINT ${JSON.stringify(start.split(' ')).replace(/","/g, '", "')}`);
    const emulator = stage(dockerfile, 'emulator');
    expect(emulator).toContain('COPY --from=build --chown=node:node /app/dist/emulator.js /app/dist/emulator.js.map');
    expect(emulator).not.toMatch(/node_modules|gateway\.js/);
    expect(emulator).toMatch(/^ENTRYPOINT \["node", "dist\/emulator.js"\]$/m);
  });

  it('runs each compose service from its own target of the Dockerfile', () => {
    const config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
    expect(config).toMatch(/emulator:\s+build:\s+context: \S+\s+target: emulator/);
    expect(config).toMatch(/gateway:\s+build:\s+context: \S+\s+target: gateway/);
  });
});

/** The AWS operations a module file calls: every call names its operation in a `site('<Operation>', ...)`. */
function calledOperations(file: string): string[] {
  return [...new Set([...readFileSync(file, 'utf8').matchAll(/site\('(\w+)'/g)].map((m) => m[1] as string))].sort();
}

function policyActions(file: string): string[] {
  const policy = JSON.parse(readFileSync(file, 'utf8')) as { Statement: Array<{ Action: string[] }> };
  return policy.Statement.flatMap((s) => s.Action).sort();
}

/** The instructions of one stage of a multi-stage Dockerfile, from its FROM to the next, comments left out. */
function stage(dockerfile: string, name: string): string {
  dockerfile = dockerfile.replace(/^#.*\n/gm, '');
  const start = dockerfile.search(new RegExp(`^FROM .* AS ${name}$`, 'm'));
  if (start === -1) throw new Error(`no stage ${name}`);
  const next = dockerfile.slice(start + 1).search(/^FROM /m);
  return next === -1 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
}
