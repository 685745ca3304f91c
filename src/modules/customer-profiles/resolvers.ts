import type { GraphQLResolveInfo } from 'graphql';
import { hintFor, hintForPage } from '../../cache/hints.js';
import { type GatewayContext, knownScope, ownAccount, scopeOf } from '../../context.js';
import type { Resolvers } from '../../generated/graphql.js';
import { listKey, paginateScopes } from '../../pagination.js';
import { type Scope, ScopeFailures, scopeKey } from '../../estate.js';
import { reportPartialError } from '../../partial-errors.js';
import { GatewayError } from '../../errors.js';
import type { ResourceIdentity } from '../../resource/identity.js';
import { reserveForPage } from '../../preflight/budget.js';
import { scopedConnection } from '../../estate-connection.js';
import { resolveNodeId } from '../../node-ids.js';
import { KINESIS, SERVICE, eventStreamIdentity, kinesisStreamIdentity } from './arns.js';
import { DOMAIN_PAGE_SIZE, eventStreamLoaders } from './loaders.js';
import { completeEventStream, eventStreamLoader, eventStreamNodeForm, eventStreamNotFound } from './lookups.js';
import type { EventStreamModel } from './mappers.js';
import { eventStreamMutations } from './mutations.js';
import { Rules, eventStreamArguments } from './rules.js';

/** One stream by domain and name, in the request's account: NOT_FOUND when AWS has none. */
async function lookupEventStream(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  { domainName, name, region }: { domainName: string; name: string; region: string },
): Promise<EventStreamModel> {
  const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
  const stream = await eventStreamLoader(ctx, info).load(identity);
  if (!stream) throw eventStreamNotFound(identity);
  hintFor(ctx, info, [stream]);
  return stream;
}

/** A domain in an account's region: the scope of its event stream list. */
interface DomainScope extends Scope {
  domainName: string;
}

/** What AWS cannot filter event streams by, applied while paging. */
function streamFilter(args: {
  state: string | null;
  destinationStatus: string | null;
}): ((stream: EventStreamModel) => boolean) | undefined {
  const { state, destinationStatus } = args;
  if (!state && !destinationStatus) return undefined;
  return (stream) =>
    (!state || stream.state === state) && (!destinationStatus || stream.destination?.status === destinationStatus);
}

/** A destination in an account the gateway has no credentials for: its stream cannot be read. */
function kinesisAccountNotConfigured(identity: ResourceIdentity): GatewayError {
  return new GatewayError(
    `The Kinesis stream ${identity.id} is in account ${identity.accountId}, which is not one of this gateway's ` +
      'accounts (its own, or one of AWS_ACCOUNTS).',
    'FORBIDDEN',
    {
      account: identity.accountId,
      accountId: identity.accountId,
      region: identity.region,
      service: KINESIS,
      operation: 'DescribeStreamSummary',
    },
  );
}

export const resolvers: Resolvers = {
  Query: {
    eventStream: (_parent, args, ctx, info) =>
      lookupEventStream(ctx, info, eventStreamArguments.eventStream(ctx.config, args)),
    eventStreamByIdentifier: (_parent, args, ctx, info) =>
      lookupEventStream(ctx, info, eventStreamArguments.eventStreamByIdentifier(ctx.config, args)),
    eventStreams: async (_parent, args, ctx, info) => {
      const checked = eventStreamArguments.eventStreams(ctx.config, args, ownAccount(ctx));
      const loaders = eventStreamLoaders(ctx);
      const failures = new ScopeFailures<DomainScope>(
        { service: SERVICE, operation: 'ListEventStreams' },
        checked.ignore,
      );
      // Without a domain name, the domains of every scope first (in parallel): each becomes a scope of its own.
      let scopes: DomainScope[];
      if (checked.domainName !== null) {
        const domainName = checked.domainName;
        scopes = checked.scopes.map((scope) => ({ ...scope, domainName }));
      } else {
        const listing = new ScopeFailures<Scope>({ service: SERVICE, operation: 'ListDomains' }, checked.ignore);
        const names = await Promise.all(
          checked.scopes.map((scope) =>
            loaders.domainNamesOf(scope).catch((error: unknown) => {
              listing.add(scope, error);
              return [];
            }),
          ),
        );
        listing.settle(checked.scopes.length, (error) => reportPartialError(ctx, info, error));
        scopes = checked.scopes.flatMap((scope, i) => (names[i] ?? []).map((domainName) => ({ ...scope, domainName })));
      }
      const connection = await paginateScopes({
        list: checked.list,
        first: checked.first,
        after: checked.after,
        tokenRule: Rules.token,
        scopes,
        keyOf: (scope) => scopeKey(scope, scope.domainName),
        fetchPage: (scope, token, maxResults) =>
          loaders.listEventStreamsPage(scope, scope.domainName, token, maxResults),
        filter: streamFilter(checked),
        onError: failures.add,
      });
      failures.settle(checked.domainName !== null ? scopes.length : 0, (error) => reportPartialError(ctx, info, error));
      reserveForPage(ctx, info, connection.nodes.length);
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
    domains: (_parent, args, ctx, info) => {
      const checked = eventStreamArguments.domains(ctx.config, args, ownAccount(ctx));
      return scopedConnection(ctx, info, { service: SERVICE, operation: 'ListDomains' }, checked, {
        tokenRule: Rules.token,
        // The pages `eventStreams` reads for the domains of a scope: one call answers both fields.
        pageSize: DOMAIN_PAGE_SIZE,
        fetchPage: (scope, token, maxResults) => eventStreamLoaders(ctx).listDomainsPage(scope, token, maxResults),
      });
    },
  },
  Mutation: {
    createEventStream: (_parent, args, ctx) => eventStreamMutations.createEventStream(ctx, args),
    updateEventStream: (_parent, args, ctx) => eventStreamMutations.updateEventStream(ctx, args),
    deleteEventStream: (_parent, args, ctx) => eventStreamMutations.deleteEventStream(ctx, args),
  },
  // The stream after the write, read only when selected (the update's is known already: no AWS call).
  CreateEventStreamPayload: {
    eventStream: (payload, _args, ctx, info) => eventStreamLoader(ctx, info).load(payload.identity),
  },
  UpdateEventStreamPayload: {
    eventStream: (payload, _args, ctx, info) => eventStreamLoader(ctx, info).load(payload.identity),
  },
  EventStream: {
    __resolveReference: (ref, ctx, info) =>
      resolveNodeId<EventStreamModel>(ctx, [eventStreamNodeForm], 'arn', ref.arn, info),
    id: (stream) => stream.arn,
    // Synchronous when the model already has the member: a promise per field would cost every response.
    // GetEventStream marks CreatedAt and DestinationDetails required, so a complete stream has both.
    createdAt: (stream, _args, ctx) =>
      stream.createdAt ?? completeEventStream(ctx, stream.identity).then((s) => s.createdAt as Date),
    destination: (stream, _args, ctx) =>
      stream.destination ??
      completeEventStream(ctx, stream.identity).then((s) => s.destination as NonNullable<typeof s.destination>),
  },
  Domain: {
    eventStreams: async (domain, args, ctx, info) => {
      const checked = eventStreamArguments.domainEventStreams(ctx.config, args);
      const scope: DomainScope = { ...domain, domainName: domain.name };
      const failures = new ScopeFailures<DomainScope>({ service: SERVICE, operation: 'ListEventStreams' }, new Set());
      const connection = await paginateScopes({
        list: listKey('domainEventStreams', domain.arn, checked.state, checked.destinationStatus),
        first: checked.first,
        after: args.after,
        tokenRule: Rules.token,
        scopes: [scope],
        keyOf: (s) => scopeKey(s, s.domainName),
        fetchPage: (s, token, maxResults) =>
          eventStreamLoaders(ctx).listEventStreamsPage(s, s.domainName, token, maxResults),
        filter: streamFilter(checked),
        onError: failures.add,
      });
      failures.settle(1, (error) => reportPartialError(ctx, info, error));
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  EventStreamDestination: {
    kinesisStream: async (destination, _args, ctx, info) => {
      const identity = kinesisStreamIdentity(destination.uri);
      if (!identity) return null;
      const own = knownScope(ctx);
      const configured =
        identity.accountId === own?.accountId ||
        identity.accountId === ctx.config.aws.accountId ||
        ctx.config.aws.memberAccounts.has(identity.accountId);
      if (!configured) throw kinesisAccountNotConfigured(identity);
      const stream = await eventStreamLoaders(ctx).kinesisStream.load(identity);
      hintFor(ctx, info, [stream]);
      return stream;
    },
    message: (destination, _args, ctx) =>
      destination.complete
        ? destination.message
        : completeEventStream(ctx, destination.stream).then((s) => s.destination?.message ?? null),
  },
};
