import { z } from 'zod';
import { FaultConfigError, parseFaultConfig, type FaultConfig } from './faults.js';
import type { EmulatorCredentials } from './sigv4.js';

/**
 * The emulator's settings, read from the environment and command-line flags exactly as the gateway reads its own: a
 * flag `--emulator-port 4567` (or `--emulator-port=4567`) sets the same setting as `EMULATOR_PORT=4567`; flags win;
 * empty values mean unset. Every problem is reported at once (EmulatorConfigError), and the entry point exits 1.
 *
 * The emulator parses its own flags rather than sharing the gateway's parser so that it imports nothing from the
 * gateway: its bundle and the gateway's have no code in common but the libraries.
 */

export interface EmulatorConfig {
  /** `EMULATOR_PORT`, default 4566; 0 picks a free port. */
  port: number;
  /** `EMULATOR_HOST`, default 127.0.0.1 (0.0.0.0 inside a container). */
  host: string;
  /** `EMULATOR_FIXTURES`: path of a fixtures JSON file; unset serves the built-in demo data. */
  fixturesPath?: string;
  /** `EMULATOR_CREDENTIALS`: the key pairs accepted (default test/test). */
  credentials?: EmulatorCredentials[];
  /** `EMULATOR_FAULTS`: faults active from the start, as for `PUT /_emulator/faults`. */
  faults?: FaultConfig;
}

export class EmulatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid emulator configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EmulatorConfigError';
  }
}

const EnvSchema = z.object({
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4566),
  EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  EMULATOR_FIXTURES: z.string().min(1).optional(),
  EMULATOR_CREDENTIALS: z
    .string()
    .regex(/^[^:,\s]+:[^:,\s]+(,[^:,\s]+:[^:,\s]+)*$/, 'must look like AKID:SECRET[,AKID2:SECRET2]')
    .optional(),
});

/** `--emulator-port 4567` -> `{ EMULATOR_PORT: '4567' }`; a bare `--flag` means `true`; other words are ignored. */
export function emulatorFlagsToEnv(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)).replace(/-/g, '_').toUpperCase();
    if (eq !== -1) out[name] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[name] = argv[++i]!;
    else out[name] = 'true';
  }
  return out;
}

export function loadEmulatorConfig(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = [],
): EmulatorConfig {
  const merged: Record<string, string | undefined> = { ...env, ...emulatorFlagsToEnv(argv) };
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = EnvSchema.safeParse(merged);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const faults = merged.EMULATOR_FAULTS === undefined ? undefined : faultsSetting(merged.EMULATOR_FAULTS, problems);
  if (!parsed.success || problems.length > 0) throw new EmulatorConfigError(problems);
  const e = parsed.data;
  return {
    port: e.EMULATOR_PORT,
    host: e.EMULATOR_HOST,
    fixturesPath: e.EMULATOR_FIXTURES,
    credentials: e.EMULATOR_CREDENTIALS?.split(',').map((pair) => {
      const [accessKeyId, secretAccessKey] = pair.split(':') as [string, string];
      return { accessKeyId, secretAccessKey };
    }),
    faults,
  };
}

/** EMULATOR_FAULTS is JSON of a fault config, checked as `PUT /_emulator/faults` checks it. */
function faultsSetting(text: string, problems: string[]): FaultConfig | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    problems.push('EMULATOR_FAULTS: must be JSON, e.g. {"latencyMs": 25}');
    return undefined;
  }
  try {
    return parseFaultConfig(document);
  } catch (error) {
    if (!(error instanceof FaultConfigError)) throw error;
    problems.push(...error.issues.map((issue) => `EMULATOR_FAULTS: ${issue.path || '(root)'}: ${issue.message}`));
    return undefined;
  }
}
