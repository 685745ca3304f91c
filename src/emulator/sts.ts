import type { OperationDefinition } from './operation.js';
import { partitionOf } from './services.js';

/**
 * AWS Security Token Service (awsQuery, signing name `sts`): GetCallerIdentity, which is how a client learns the
 * account its credentials belong to. Every key pair the emulator accepts belongs to the fixtures' account, and the
 * emulator answers as that account's root user, as AWS does for root credentials: the ARN
 * `arn:<partition>:iam::<account>:root`, and the account id as the user id.
 */

export const getCallerIdentity: OperationDefinition = {
  service: 'sts',
  name: 'GetCallerIdentity',
  action: 'GetCallerIdentity',
  handle(request, store) {
    return {
      Arn: `arn:${partitionOf(request.region)}:iam::${store.accountId}:root`,
      UserId: store.accountId,
      Account: store.accountId,
    };
  },
};

export const stsOperations: readonly OperationDefinition[] = [getCallerIdentity];
