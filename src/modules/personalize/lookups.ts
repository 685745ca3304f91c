import type { GraphQLResolveInfo } from 'graphql';
import { notFound } from '../../errors.js';
import { checkArnAccount } from '../../estate.js';
import type { GatewayContext } from '../../context.js';
import type { ResourceIdentity } from '../../resource/identity.js';
import { selectionOf, selectsPath } from '../../selection.js';
import type { NodeForm } from '../../service-module.js';
import { SERVICE, type PersonalizeResourceType, identityOf, parsePersonalizeArn } from './arns.js';
import { personalizeLoaders, personalizePlans } from './loaders.js';
import type { EventTrackerModel } from './mappers.js';
import { checkPersonalizeArn } from './rules.js';

const NAMES: Record<PersonalizeResourceType, { label: string; operation: string }> = {
  'event-tracker': { label: 'Event tracker', operation: 'DescribeEventTracker' },
  'dataset-group': { label: 'Dataset group', operation: 'DescribeDatasetGroup' },
};

export function personalizeNotFound(identity: ResourceIdentity): Error {
  const names = NAMES[identity.type as PersonalizeResourceType] ?? NAMES['event-tracker'];
  return notFound(`${names.label} ${identity.id} in ${identity.region}`, {
    service: SERVICE,
    operation: names.operation,
    region: identity.region,
    accountId: identity.accountId,
  });
}

/** Whether the selection needs members only DescribeEventTracker returns (list summaries lack them). */
export function eventTrackerNeedsDetails(has: (path: string) => boolean): boolean {
  return has('trackingId') || has('datasetGroupArn') || has('datasetGroup');
}

/** The loader that answers the field being resolved with the fewest AWS calls. */
export function eventTrackerLoader(ctx: GatewayContext, info: GraphQLResolveInfo | undefined) {
  const loaders = personalizeLoaders(ctx);
  if (!info) return loaders.eventTracker;
  const detailed = eventTrackerNeedsDetails(selectsPath(selectionOf(info, 'EventTracker')));
  return detailed ? loaders.eventTracker : loaders.eventTrackerSummary;
}

/** The complete tracker behind a list summary, for trackingId and datasetGroupArn. */
export async function completeEventTracker(
  ctx: GatewayContext,
  tracker: EventTrackerModel,
): Promise<EventTrackerModel> {
  if (tracker.complete) return tracker;
  const arn = parsePersonalizeArn(tracker.arn, 'event-tracker');
  const full = arn ? await personalizeLoaders(ctx).eventTracker.load(identityOf(arn)) : null;
  if (!full) throw personalizeNotFound(arn ? identityOf(arn) : { ...NO_IDENTITY, id: tracker.name });
  return full;
}

const NO_IDENTITY: ResourceIdentity = {
  partition: 'aws',
  accountId: '',
  region: '',
  service: SERVICE,
  type: 'event-tracker',
  id: '',
};

function nodeForm(type: PersonalizeResourceType, typeName: string): NodeForm {
  return {
    typeName,
    parse(id, at) {
      const { argument, arn, config } = at;
      if (arn?.service !== SERVICE || !arn.resource.startsWith(`${type}/`)) return null;
      const parsed = checkPersonalizeArn(config, argument, id, type);
      checkArnAccount(at, parsed.accountId);
      return identityOf(parsed);
    },
    resolve(ctx, identity, _id, info) {
      return type === 'dataset-group'
        ? personalizeLoaders(ctx).datasetGroup.load(identity)
        : eventTrackerLoader(ctx, info).load(identity);
    },
    cost: (identities, detailed) =>
      type === 'dataset-group'
        ? personalizePlans.datasetGroups(identities)
        : detailed
          ? personalizePlans.trackersFull(identities)
          : personalizePlans.trackersSummary(identities),
  };
}

/** Event tracker and dataset group ARNs, for `node`, `nodes` and entity references. */
export const eventTrackerNodeForm = nodeForm('event-tracker', 'EventTracker');
export const datasetGroupNodeForm = nodeForm('dataset-group', 'DatasetGroup');
