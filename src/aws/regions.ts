import { partition } from '@aws-sdk/util-endpoints';

/**
 * Public AWS regions (all partitions). A `region` argument outside the configured allow-list (by default this
 * list) is refused before any AWS call: an unknown region would otherwise cost a DNS lookup and a timeout.
 */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isob-west-1',
];

/**
 * The partitions whose ARNs the gateway reads. Each service module says in which of them its service exists
 * (`partitions` of its AWS services); an ARN or region of a partition where a service does not exist is refused
 * before any call.
 */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'] as const;

/** Regions whose partition is remembered: the SDK matches each region against every partition's pattern. */
const partitionsByRegion = new Map<string, string>();
const PARTITION_MEMO_ENTRIES = 256;
const REGION_MAX_LENGTH = 32;

/**
 * The ARN partition a region belongs to, by the SDK's own partition table (`aws` for a region it does not know).
 * Checked for every region argument, so the answers are remembered: for at most 256 regions of region length, so
 * a stream of made-up regions cannot grow the memo.
 */
export function partitionOf(region: string): string {
  let name = partitionsByRegion.get(region);
  if (name === undefined) {
    name = partition(region).name;
    if (partitionsByRegion.size < PARTITION_MEMO_ENTRIES && region.length <= REGION_MAX_LENGTH)
      partitionsByRegion.set(region, name);
  }
  return name;
}
