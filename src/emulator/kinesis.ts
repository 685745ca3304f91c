import { AwsError, serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { partitionOf } from './services.js';
import type { EmulatorStore, KinesisStreamRecord } from './store.js';
import { InputValidator } from './validation.js';
import { toEpochSeconds } from './wire-time.js';

/*
 * Kinesis Data Streams (awsJson1_1, target prefix `Kinesis_20131202`): DescribeStreamSummary, by StreamName or
 * StreamARN (or both, naming the same stream), in the caller's account and the region of the credential scope.
 */

const STREAM_NAME = { min: 1, max: 128, pattern: /^[a-zA-Z0-9_.-]+$/ } as const;
const STREAM_ARN = { min: 1, max: 2048, pattern: /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/ } as const;
const ARN_PARTS = /^arn:([^:]+):kinesis:([^:]*):(\d{12}):stream\/(\S+)$/;

function members(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** StreamDescriptionSummary: exactly its members, the creation time as epoch seconds. */
export function toStreamDescriptionSummary(stream: KinesisStreamRecord): object {
  return {
    StreamName: stream.StreamName,
    StreamARN: stream.StreamARN,
    StreamStatus: stream.StreamStatus,
    StreamModeDetails: stream.StreamModeDetails,
    RetentionPeriodHours: stream.RetentionPeriodHours,
    StreamCreationTimestamp: toEpochSeconds(stream.StreamCreationTimestamp),
    EnhancedMonitoring: stream.EnhancedMonitoring,
    EncryptionType: stream.EncryptionType,
    KeyId: stream.KeyId,
    OpenShardCount: stream.OpenShardCount,
    ConsumerCount: stream.ConsumerCount,
  };
}

export const describeStreamSummary: OperationDefinition = {
  service: 'kinesis',
  name: 'DescribeStreamSummary',
  target: 'Kinesis_20131202.DescribeStreamSummary',
  handle({ region, body, caller }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('kinesis');
    const request = members(body);
    const name = input.string('streamName', request.StreamName, STREAM_NAME);
    const arn = input.string('streamARN', request.StreamARN, STREAM_ARN);
    input.throwIfInvalid();
    if (name === undefined && arn === undefined) {
      throw serviceError('kinesis', 'validation', 'Either StreamName or StreamARN should be provided.');
    }
    let streamName = name;
    if (arn !== undefined) {
      const [, partition, arnRegion, account, arnName] = ARN_PARTS.exec(arn) ?? [];
      if (partition === undefined) throw serviceError('kinesis', 'validation', `Invalid StreamARN ${arn}.`);
      if (name !== undefined && name !== arnName) {
        throw serviceError('kinesis', 'validation', 'StreamARN and StreamName do not name the same stream.');
      }
      // Another account's stream needs a resource policy the emulator does not model: the caller may not read it.
      if (account !== caller.accountId) {
        throw new AwsError(
          'AccessDeniedException',
          400,
          `User: ${caller.session?.assumedRoleArn ?? `arn:${partitionOf(region)}:iam::${caller.accountId}:root`} ` +
            `is not authorized to perform: kinesis:DescribeStreamSummary on resource: ${arn}`,
        );
      }
      // A stream of another region (or partition) is not in this region's endpoint.
      streamName = arnRegion === region && partition === partitionOf(region) ? arnName : undefined;
    }
    const stream = streamName === undefined ? undefined : store.region(region).kinesisStreamsByName.get(streamName);
    if (!stream) {
      throw serviceError(
        'kinesis',
        'notFound',
        `Stream ${streamName ?? arn} under account ${store.accountId} not found.`,
      );
    }
    return { StreamDescriptionSummary: toStreamDescriptionSummary(stream) };
  },
};

export const kinesisOperations: readonly OperationDefinition[] = [describeStreamSummary];
