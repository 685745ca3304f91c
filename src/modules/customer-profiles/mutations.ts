import {
  CreateEventStreamCommand,
  type CustomerProfilesClient,
  DeleteEventStreamCommand,
  GetEventStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-customer-profiles';
import { type GatewayContext, scopeOf } from '../../context.js';
import { GatewayError, nullIfNotFound } from '../../errors.js';
import type {
  MutationCreateEventStreamArgs,
  MutationDeleteEventStreamArgs,
  MutationUpdateEventStreamArgs,
} from '../../generated/graphql.js';
import { toTags } from '../../mappers.js';
import { type ResourceIdentity, listGroup } from '../../resource/identity.js';
import { type WriteTarget, conflict, runWrite } from '../../writes.js';
import { SERVICE, eventStreamArnOf, eventStreamIdentity, eventStreamNames } from './arns.js';
import { eventStreamLoaders } from './loaders.js';
import { eventStreamNotFound } from './lookups.js';
import { type EventStreamModel, toEventStream } from './mappers.js';
import { eventStreamWriteArguments } from './rules.js';

/**
 * The event stream writes (StackQL's `event_streams` create, `event_stream` update and delete): CreateEventStream,
 * TagResource/UntagResource for the only property AWS lets you change (its tags), DeleteEventStream.
 */

/** What a stream mutation hands its payload: the stream is read (fresh) only when the payload selects it. */
export interface EventStreamPayloadModel {
  identity: ResourceIdentity;
}

/** AWS calls each mutation can make, for the preflight's estimate (the payload's own read is costed apart). */
export const eventStreamWritePlans = {
  /** CreateEventStream, and a GetEventStream when AWS refuses it (does the stream exist, with this destination?). */
  create: 2,
  /** GetEventStream (the tags now), then TagResource and UntagResource as the difference needs. */
  update: 3,
  /** DeleteEventStream. */
  delete: 1,
};

const site = (operation: string, identity: ResourceIdentity) => ({
  service: SERVICE,
  operation,
  region: identity.region,
  accountId: identity.accountId,
});

/** The stream, its ARN for the audit line, and its domain's list (a creation or deletion changes it). */
function targetOf(identity: ResourceIdentity, fingerprint?: string): WriteTarget {
  const { domainName } = eventStreamNames(identity);
  return {
    resource: eventStreamArnOf(identity),
    written: [identity],
    lists: [listGroup(identity, SERVICE, identity.region, 'ListEventStreams', domainName)],
    fingerprint,
  };
}

/** The stream as AWS has it now, never from a cache (a write must not decide on an old state); null if none. */
async function readEventStream(ctx: GatewayContext, identity: ResourceIdentity): Promise<EventStreamModel | null> {
  const { domainName, name } = eventStreamNames(identity);
  const client = ctx.clients.get(SERVICE, identity.region, {
    accountId: identity.accountId,
  }) as unknown as CustomerProfilesClient;
  const out = await nullIfNotFound(
    ctx.aws.call(site('GetEventStream', identity), ctx.ledger, (abortSignal) =>
      client.send(new GetEventStreamCommand({ DomainName: domainName, EventStreamName: name }), { abortSignal }),
    ),
  );
  return out && toEventStream(identity, out);
}

/** This request's loaders forget what they read of the stream, or learn what the write left (`known`). */
function refreshLoaders(ctx: GatewayContext, identity: ResourceIdentity, known?: EventStreamModel): void {
  const { eventStream, eventStreamSummary } = eventStreamLoaders(ctx);
  for (const loader of [eventStream, eventStreamSummary]) {
    loader.clear(identity);
    if (known) loader.prime(identity, known);
  }
}

function tagMap(tags: ReadonlyArray<{ key: string; value: string }>): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.key, t.value]));
}

function isRefusal(error: unknown): error is GatewayError {
  return error instanceof GatewayError && (error.code === 'BAD_USER_INPUT' || error.code === 'CONFLICT');
}

export const eventStreamMutations = {
  async createEventStream(ctx: GatewayContext, args: MutationCreateEventStreamArgs): Promise<EventStreamPayloadModel> {
    const { domainName, name, region, uri, tags } = eventStreamWriteArguments.createEventStream(ctx.config, args);
    const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
    return runWrite(ctx, 'createEventStream', targetOf(identity, uri), async (write) => {
      let existing: EventStreamModel | null = null;
      try {
        // Once: a retry after a lost answer would find the stream it created and be refused.
        await write.send<CustomerProfilesClient, unknown>(
          site('CreateEventStream', identity),
          'once',
          (client, abortSignal) =>
            client.send(
              new CreateEventStreamCommand({
                DomainName: domainName,
                EventStreamName: name,
                Uri: uri,
                ...(tags ? { Tags: tagMap(tags) } : {}),
              }),
              { abortSignal },
            ),
        );
      } catch (error) {
        // Customer Profiles models no "already exists" error: whether the stream exists says what a refusal meant.
        if (!isRefusal(error)) throw error;
        existing = await readEventStream(ctx, identity);
        if (!existing) throw error;
        // It exists. It is this create's own only when an attempt of it went unanswered here, and it has the
        // destination asked for; otherwise the name is taken.
        if (existing.destination?.uri !== uri || !(await write.repeatsUnanswered())) {
          const { code: _code, ...extensions } = error.extensions;
          throw conflict(`Event stream ${name} of domain ${domainName} in ${region} exists already`, {
            ...extensions,
            reason: 'exists',
          });
        }
        write.record.detail.existed = true;
      }
      refreshLoaders(ctx, identity, existing ?? undefined);
      return { identity };
    });
  },

  async updateEventStream(ctx: GatewayContext, args: MutationUpdateEventStreamArgs): Promise<EventStreamPayloadModel> {
    const { domainName, name, region, tags } = eventStreamWriteArguments.updateEventStream(ctx.config, args);
    const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
    return runWrite(ctx, 'updateEventStream', targetOf(identity), async (write) => {
      const current = await readEventStream(ctx, identity);
      if (!current) throw eventStreamNotFound(identity);
      write.record.resource = current.arn;
      const wanted = tagMap(tags);
      const had = tagMap(current.tags);
      const toSet = Object.entries(wanted).filter(([key, value]) => had[key] !== value);
      const toRemove = Object.keys(had).filter((key) => !(key in wanted));
      write.record.detail.tagKeysSet = toSet.map(([key]) => key);
      write.record.detail.tagKeysRemoved = toRemove;
      // Setting tags, or removing them, twice leaves what doing it once does: the SDK may retry these.
      if (toSet.length > 0) {
        await write.send<CustomerProfilesClient, unknown>(
          site('TagResource', identity),
          'repeatable',
          (client, abortSignal) =>
            client.send(new TagResourceCommand({ resourceArn: current.arn, tags: Object.fromEntries(toSet) }), {
              abortSignal,
            }),
        );
      }
      if (toRemove.length > 0) {
        await write.send<CustomerProfilesClient, unknown>(
          site('UntagResource', identity),
          'repeatable',
          (client, abortSignal) =>
            client.send(new UntagResourceCommand({ resourceArn: current.arn, tagKeys: toRemove }), { abortSignal }),
        );
      }
      // Tags are all that changed: the stream read just now, with its new tags, is what AWS holds.
      refreshLoaders(ctx, identity, { ...current, tags: toTags(wanted) });
      return { identity };
    });
  },

  async deleteEventStream(ctx: GatewayContext, args: MutationDeleteEventStreamArgs) {
    const { domainName, name, region } = eventStreamWriteArguments.deleteEventStream(ctx.config, args);
    const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
    const target = targetOf(identity);
    return runWrite(ctx, 'deleteEventStream', target, async (write) => {
      try {
        await write.send<CustomerProfilesClient, unknown>(
          site('DeleteEventStream', identity),
          'delete',
          (client, abortSignal) =>
            client.send(new DeleteEventStreamCommand({ DomainName: domainName, EventStreamName: name }), {
              abortSignal,
            }),
        );
      } catch (error) {
        if (error instanceof GatewayError && error.code === 'NOT_FOUND') throw eventStreamNotFound(identity);
        throw error;
      }
      refreshLoaders(ctx, identity);
      return { deletedId: target.resource };
    });
  },
};
