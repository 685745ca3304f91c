import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlayedStage } from './dockerfile.js';
import { freePort } from './redis.js';

/*
 * docker-compose.yml's services as processes on this machine, from the stages a played Dockerfile left (see
 * dockerfile.ts). Without network namespaces every service shares the loopback interface, so each container port a
 * service publishes or another service names (`http://emulator:4566`) is remapped to a free loopback port: in the
 * service's environment (image ENV, then compose's `environment`), a value equal to its container port becomes the
 * mapped port, `<service>:<port>` becomes `127.0.0.1:<mapped port>`, and the all-interfaces address 0.0.0.0 becomes
 * 127.0.0.1 (loopback only). Health checks get the same rewriting.
 */

export interface ComposeService {
  name: string;
  stage: PlayedStage;
  /** The process's whole environment: image ENV, compose's, remapped, and PATH. */
  env: Record<string, string>;
  /** Container port -> loopback port. */
  ports: Map<number, number>;
  /** compose's healthcheck test (exec form), remapped; undefined when it has none. */
  healthcheck?: string[];
  dependsOn: Array<{ name: string; condition: string }>;
}

interface RawService {
  build?: { target?: string } | string;
  environment?: Record<string, string | number> | string[];
  ports?: Array<string | number>;
  healthcheck?: { test?: string[] | string };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

function environment(raw: RawService['environment']): Record<string, string> {
  if (!raw) return {};
  if (Array.isArray(raw))
    return Object.fromEntries(raw.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/** `127.0.0.1:4566:4566/tcp`, `4000:4000`, `4566` -> the container port. */
function containerPort(entry: string | number): number {
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  return Number(parts.at(-1));
}

/** The services of a compose file, in an order that starts dependencies first. */
export async function composeServices(
  composeText: string,
  stages: ReadonlyMap<string, PlayedStage>,
  basePath: string,
): Promise<ComposeService[]> {
  const services = (parse(composeText) as { services: Record<string, RawService> }).services;
  const mapped = new Map<string, Map<number, number>>();
  const mapping = (service: string) => {
    const ports = mapped.get(service) ?? new Map<number, number>();
    mapped.set(service, ports);
    return ports;
  };
  const allocate = async (service: string, port: number) => {
    if (!mapping(service).has(port)) mapping(service).set(port, await freePort());
  };
  for (const [name, raw] of Object.entries(services)) {
    for (const entry of raw.ports ?? []) await allocate(name, containerPort(entry));
    for (const value of Object.values(environment(raw.environment))) {
      for (const m of value.matchAll(/\b([a-z][a-z0-9_-]*):(\d+)\b/g))
        if (m[1]! in services) await allocate(m[1]!, Number(m[2]));
    }
  }
  const rewrite = (service: string, value: string) => {
    let out = value === '0.0.0.0' ? '127.0.0.1' : value;
    const own = mapping(service);
    if (own.has(Number(out)) && /^\d+$/.test(out)) out = String(own.get(Number(out)));
    out = out.replace(/\b([a-z][a-z0-9_-]*):(\d+)\b/g, (whole, other: string, port: string) => {
      const to = mapped.get(other)?.get(Number(port));
      return to === undefined ? whole : `127.0.0.1:${to}`;
    });
    // A service reaching itself through loopback (its health check) uses its mapped port.
    return out.replace(/\b(127\.0\.0\.1|localhost):(\d+)\b/g, (whole, host: string, port: string) =>
      own.has(Number(port)) ? `${host}:${own.get(Number(port))}` : whole,
    );
  };

  const result: ComposeService[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const target = typeof raw.build === 'object' ? raw.build.target : undefined;
    const stage = target ? stages.get(target) : undefined;
    if (!stage)
      throw new Error(`compose service ${name} builds target ${target}, which the Dockerfile has no stage for`);
    const env: Record<string, string> = { PATH: basePath };
    for (const [key, value] of Object.entries({ ...stage.env, ...environment(raw.environment) }))
      env[key] = rewrite(name, value);
    const test = raw.healthcheck?.test;
    const healthcheck = Array.isArray(test)
      ? test[0] === 'CMD'
        ? test.slice(1).map((part) => rewrite(name, part))
        : test[0] === 'CMD-SHELL'
          ? ['/bin/sh', '-c', rewrite(name, test[1] ?? '')]
          : undefined
      : typeof test === 'string'
        ? ['/bin/sh', '-c', rewrite(name, test)]
        : undefined;
    const dependsOn = Array.isArray(raw.depends_on)
      ? raw.depends_on.map((d) => ({ name: d, condition: 'service_started' }))
      : Object.entries(raw.depends_on ?? {}).map(([d, v]) => ({
          name: d,
          condition: v.condition ?? 'service_started',
        }));
    result.push({ name, stage, env, ports: mapping(name), healthcheck, dependsOn });
  }
  // Dependencies first (compose refuses cycles; so does this).
  const ordered: ComposeService[] = [];
  const visit = (service: ComposeService, path: string[]) => {
    if (ordered.includes(service)) return;
    if (path.includes(service.name))
      throw new Error(`compose dependency cycle: ${[...path, service.name].join(' -> ')}`);
    for (const dependency of service.dependsOn) {
      const found = result.find((s) => s.name === dependency.name);
      if (!found) throw new Error(`compose service ${service.name} depends on unknown ${dependency.name}`);
      visit(found, [...path, service.name]);
    }
    ordered.push(service);
  };
  for (const service of result) visit(service, []);
  return ordered;
}

/** Runs a health check command inside the service (its WORKDIR and environment); true when it exits 0. */
export function healthy(service: ComposeService, check: string[], timeoutMs: number): Promise<boolean> {
  const [program, ...args] = check;
  return new Promise((resolve) => {
    execFile(
      program!,
      args,
      { cwd: join(service.stage.root, service.stage.workdir), env: service.env, timeout: timeoutMs },
      (error) => resolve(!error),
    );
  });
}
