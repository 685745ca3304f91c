import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { AuditRecord } from '../writes.js';

/** The root fields a mutation asked for, aliases resolved to field names, fragments at the root included. */
function rootFields(set: SelectionSetNode, depth = 0): string[] {
  if (depth > 4) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, depth + 1);
    return [];
  });
}

/**
 * The audit trail of writes: one log line per mutation field (beside the operation's own line), saying who
 * (the caller's name: API key name, `jwt:<subject>` or `ip:<address>`), what (the mutation and the resource's ARN),
 * how it ended (`ok` or the error code) and AWS's request ids. A mutation refused before it ran (no write grant, a
 * bad input) gets its line too, with the refusal's code. Inputs, tag values and credentials never appear.
 */
export function auditLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          if (rc.operation?.operation !== 'mutation') return;
          const ctx = rc.contextValue;
          const body = rc.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const refusedAs = String(errors[0]?.extensions?.code ?? 'NOT_RUN');
          const ran = [...ctx.audit];
          const lines: AuditRecord[] = rootFields(rc.operation.selectionSet).map((operation) => {
            const i = ran.findIndex((r) => r.operation === operation);
            if (i !== -1) return ran.splice(i, 1)[0] as AuditRecord;
            return { operation, resource: null, outcome: refusedAs, awsRequestIds: [], detail: {} };
          });
          for (const record of lines) {
            const line = {
              audit: 'mutation',
              requestId: ctx.requestId,
              caller: ctx.writer.id,
              operation: record.operation,
              resource: record.resource,
              outcome: record.outcome,
              awsRequestId: record.awsRequestIds[0] ?? null,
              ...(record.awsRequestIds.length > 1 ? { awsRequestIds: record.awsRequestIds } : {}),
              ...record.detail,
            };
            if (record.outcome === 'ok') logger.info(line, 'mutation');
            else logger.warn(line, 'mutation');
          }
        },
      };
    },
  };
}
