import { type DestinationStream, type Logger, pino } from 'pino';

export type { DestinationStream, Logger };

/**
 * Paths that must never reach a log line even if a future call site passes a whole object: request variables and
 * headers can hold tokens, and the AWS settings hold credentials in the demo. Censoring (rather than dropping) keeps
 * it visible that something was there.
 */
const REDACT_PATHS = [
  'variables',
  '*.variables',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'authorization',
  'cookie',
  'credentials',
  '*.credentials',
  'secretAccessKey',
  '*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
];

/**
 * The process's structured logger: one JSON object per line on stdout (or `destination`, which tests use to read
 * the lines back). Level names rather than numbers, so log pipelines need no pino-specific mapping.
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const settings = {
    level: options.level,
    base: { service: 'aws-events-graph' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
