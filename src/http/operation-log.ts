import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** Codes that mean the gateway or AWS let the caller down, rather than the caller asking for something wrong. */
const SERVER_SIDE_CODES = new Set([
  'INTERNAL_SERVER_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'THROTTLED',
  // The gateway's own setup is at fault, not the caller.
  'CREDENTIALS_UNAVAILABLE',
]);

/** GraphQL's Name grammar, bounded: an operation name is caller-controlled text that ends up in every log line. */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

export interface OperationLogLine {
  requestId: string;
  operationName: string | null;
  operationType: string;
  status: number;
  durationMs: number;
  /** HTTP requests sent to AWS, SDK retries included. */
  awsCalls: number;
  /** Of awsCalls, the attempts beyond each call's first. */
  awsRetries: number;
  awsCallsByOperation: Record<string, number>;
  errorCount: number;
  errorCodes: Record<string, number>;
  persistedQuery?: 'hash' | 'register';
  /** `true`: no-cache honoured; `limited`: sent past the caller's no-cache quota, so the caches answered. */
  cacheBypass?: true | 'limited';
  /** Class names of unexpected errors (bugs, library failures): their messages are masked in responses and logs. */
  unexpectedErrors?: string[];
}

function errorsOf(rc: GraphQLRequestContextWillSendResponse<GatewayContext>): readonly GraphQLFormattedError[] {
  const body = rc.response.body;
  return body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
}

function operationNameOf(rc: GraphQLRequestContextWillSendResponse<GatewayContext>): string | null {
  const name = rc.operationName ?? rc.request.operationName;
  return typeof name === 'string' && OPERATION_NAME.test(name) ? name : null;
}

function persistedQueryOf(
  rc: GraphQLRequestContextWillSendResponse<GatewayContext>,
): OperationLogLine['persistedQuery'] {
  if (!rc.request.extensions?.persistedQuery) return undefined;
  return typeof rc.request.query === 'string' ? 'register' : 'hash';
}

/**
 * One log line and one latency observation per GraphQL operation. The line says what was asked (operation name and
 * type), what it cost (duration, AWS calls by operation) and how it ended (HTTP status, error codes), and nothing a
 * caller sent as data: no variables, no query text, no headers, no error messages (which can quote arguments).
 */
export function operationLogPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      const unexpected: string[] = [];
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = error.originalError;
            if (original && !(original instanceof GraphQLError)) unexpected.push(original.name || 'Error');
          }
        },
        async willSendResponse(rc) {
          const seconds = (performance.now() - started) / 1000;
          const operationType = rc.operation?.operation ?? 'unknown';
          const errors = errorsOf(rc);
          const errorCodes: Record<string, number> = {};
          for (const error of errors) {
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            errorCodes[code] = (errorCodes[code] ?? 0) + 1;
            metrics.operationErrors.inc({ code });
          }
          metrics.operationSeconds.observe({ operation_type: operationType }, seconds);

          const ctx = rc.contextValue;
          const line: OperationLogLine = {
            requestId: ctx.requestId,
            operationName: operationNameOf(rc),
            operationType,
            status: rc.response.http.status ?? 200,
            durationMs: Math.round(seconds * 1000 * 10) / 10,
            awsCalls: ctx.ledger.total,
            awsRetries: ctx.ledger.retries,
            awsCallsByOperation: Object.fromEntries(ctx.ledger.byOperation),
            errorCount: errors.length,
            errorCodes,
          };
          const persistedQuery = persistedQueryOf(rc);
          if (persistedQuery) line.persistedQuery = persistedQuery;
          if (ctx.cacheBypass) line.cacheBypass = true;
          else if (ctx.cacheBypassLimited) line.cacheBypass = 'limited';
          if (unexpected.length) line.unexpectedErrors = unexpected.slice(0, 10);

          const serverSide = Object.keys(errorCodes).some((code) => SERVER_SIDE_CODES.has(code));
          if (errorCodes.INTERNAL_SERVER_ERROR) logger.error(line, 'graphql operation');
          else if (serverSide) logger.warn(line, 'graphql operation');
          else logger.info(line, 'graphql operation');
        },
      };
    },
  };
}
