import {
  CreateEventTrackerCommand,
  DeleteEventTrackerCommand,
  DescribeEventTrackerCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { GatewayContext } from '../../context.js';
import { GatewayError, nullIfNotFound } from '../../errors.js';
import type { MutationCreateEventTrackerArgs, MutationDeleteEventTrackerArgs } from '../../generated/graphql.js';
import { type ResourceIdentity, listGroup } from '../../resource/identity.js';
import { type WriteTarget, conflict, runWrite } from '../../writes.js';
import { SERVICE, arnOf } from './arns.js';
import { TRACKER_LISTS, personalizeLoaders } from './loaders.js';
import { personalizeNotFound } from './lookups.js';
import { type EventTrackerModel, toEventTracker } from './mappers.js';
import { personalizeWriteArguments } from './rules.js';

/** The event tracker writes: CreateEventTracker and DeleteEventTracker (AWS lets nothing else of a tracker change). */

/** What the create hands its payload: the tracker is read (fresh) only when the payload selects it. */
export interface EventTrackerPayloadModel {
  identity: ResourceIdentity;
}

/** AWS calls each mutation can make, for the preflight's estimate (the payload's own read is costed apart). */
export const eventTrackerWritePlans = {
  /** CreateEventTracker, and a DescribeEventTracker when AWS refuses it as a conflict (is it this very tracker?). */
  create: 2,
  /** DeleteEventTracker. */
  delete: 1,
};

const site = (operation: string, identity: ResourceIdentity) => ({
  service: SERVICE,
  operation,
  region: identity.region,
  accountId: identity.accountId,
});

/** The tracker, its ARN, and every tracker list of its account and region (one version covers them all). */
function targetOf(identity: ResourceIdentity, fingerprint?: string): WriteTarget {
  return {
    resource: arnOf(identity),
    written: [identity],
    lists: [listGroup(identity, SERVICE, identity.region, 'ListEventTrackers', TRACKER_LISTS)],
    fingerprint,
  };
}

/** The tracker as AWS has it now, never from a cache; null when there is none. */
async function readEventTracker(ctx: GatewayContext, identity: ResourceIdentity): Promise<EventTrackerModel | null> {
  const arn = arnOf(identity);
  const client = ctx.clients.get(SERVICE, identity.region, {
    accountId: identity.accountId,
  }) as unknown as PersonalizeClient;
  const out = await nullIfNotFound(
    ctx.aws.call(site('DescribeEventTracker', identity), ctx.ledger, (abortSignal) =>
      client.send(new DescribeEventTrackerCommand({ eventTrackerArn: arn }), { abortSignal }),
    ),
  );
  return out?.eventTracker ? toEventTracker(arn, out.eventTracker, identity.region) : null;
}

/** This request's loaders forget what they read of the tracker, or learn what the write found (`known`). */
function refreshLoaders(ctx: GatewayContext, identity: ResourceIdentity, known?: EventTrackerModel): void {
  const { eventTracker, eventTrackerSummary } = personalizeLoaders(ctx);
  for (const loader of [eventTracker, eventTrackerSummary]) {
    loader.clear(identity);
    if (known) loader.prime(identity, known);
  }
}

const DELETING = new Set(['DELETE_PENDING', 'DELETE_IN_PROGRESS']);

export const eventTrackerMutations = {
  async createEventTracker(
    ctx: GatewayContext,
    args: MutationCreateEventTrackerArgs,
  ): Promise<EventTrackerPayloadModel> {
    const { datasetGroup, datasetGroupArn, name, tags } = personalizeWriteArguments.createEventTracker(
      ctx.config,
      args,
    );
    // A tracker lives where its dataset group does.
    const identity: ResourceIdentity = {
      partition: datasetGroup.partition,
      accountId: datasetGroup.accountId,
      region: datasetGroup.region,
      service: SERVICE,
      type: 'event-tracker',
      id: name,
    };
    return runWrite(ctx, 'createEventTracker', targetOf(identity, datasetGroupArn), async (write) => {
      let existing: EventTrackerModel | null = null;
      try {
        // Once: a retry after a lost answer would find the tracker it created and be refused.
        await write.send<PersonalizeClient, unknown>(
          site('CreateEventTracker', identity),
          'once',
          (client, abortSignal) =>
            client.send(
              new CreateEventTrackerCommand({
                name,
                datasetGroupArn,
                ...(tags ? { tags: tags.map((t) => ({ tagKey: t.key, tagValue: t.value })) } : {}),
              }),
              { abortSignal },
            ),
        );
      } catch (error) {
        if (!(error instanceof GatewayError) || error.code !== 'CONFLICT') throw error;
        const { code: _code, ...extensions } = error.extensions;
        // The tracker may be this create's own, made by an attempt of it that went unanswered here: is it there,
        // for the same dataset group? Otherwise the name is taken, or the group has its one tracker, or is busy.
        if (await write.repeatsUnanswered()) existing = await readEventTracker(ctx, identity);
        if (existing?.datasetGroupArn !== datasetGroupArn || DELETING.has(existing.status)) {
          throw conflict(
            `Event tracker ${name} cannot be created in ${identity.region}: the name is taken, or dataset group ` +
              `${datasetGroup.name} has its one tracker already or is busy`,
            { ...extensions, reason: String(extensions.awsErrorCode ?? 'conflict') },
          );
        }
        write.record.detail.existed = true;
      }
      refreshLoaders(ctx, identity, existing ?? undefined);
      return { identity };
    });
  },

  async deleteEventTracker(ctx: GatewayContext, args: MutationDeleteEventTrackerArgs) {
    const arn = personalizeWriteArguments.deleteEventTracker(ctx.config, args);
    const identity: ResourceIdentity = {
      partition: arn.partition,
      accountId: arn.accountId,
      region: arn.region,
      service: SERVICE,
      type: 'event-tracker',
      id: arn.name,
    };
    const target = targetOf(identity);
    return runWrite(ctx, 'deleteEventTracker', target, async (write) => {
      try {
        await write.send<PersonalizeClient, unknown>(
          site('DeleteEventTracker', identity),
          'delete',
          (client, abortSignal) =>
            client.send(new DeleteEventTrackerCommand({ eventTrackerArn: target.resource }), { abortSignal }),
        );
      } catch (error) {
        if (error instanceof GatewayError && error.code === 'NOT_FOUND') throw personalizeNotFound(identity);
        throw error;
      }
      refreshLoaders(ctx, identity);
      return { deletedId: target.resource };
    });
  },
};
