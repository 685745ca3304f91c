import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsSettings } from '../config.js';
import type { AccountScope } from '../resource/identity.js';
import type { AwsCaller } from './call.js';
import type { GatewayCredentials } from './credentials.js';
import { partitionOf } from './regions.js';

/**
 * The wire names of the security token service (its signing name and the operations the gateway sends it), in this
 * one file: the gateway's own identity and the member accounts' roles are mechanisms, not a module's service, and
 * AWS needs these names on the wire and in the errors that name a call. Elsewhere, prose calls it "the security
 * token service" and code imports these.
 */
export const TOKEN_SERVICE = { id: 'sts', callerIdentity: 'GetCallerIdentity', assumeRole: 'AssumeRole' } as const;

/**
 * The account and partition of the gateway's own credentials, from STS GetCallerIdentity (which needs no IAM
 * permission). Through the AWS caller, so it has the same deadline, breaker and error mapping as every other call.
 * It signs with the gateway's credential provider, so its outcome is also the credentials' state (readiness).
 */
export async function callerAccount(
  settings: AwsSettings,
  aws: AwsCaller,
  credentials: GatewayCredentials['provider'],
): Promise<AccountScope> {
  const region = settings.defaultRegion;
  const client = new STSClient({
    region,
    maxAttempts: settings.maxAttempts,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
    credentials,
  });
  try {
    const site = { service: TOKEN_SERVICE.id, operation: TOKEN_SERVICE.callerIdentity, region };
    const out = await aws.call(site, undefined, (abortSignal) =>
      client.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
    const partition = out.Arn?.split(':')[1] ?? partitionOf(region);
    if (!out.Account || !/^\d{12}$/.test(out.Account)) throw new Error('GetCallerIdentity returned no account');
    return { partition, accountId: out.Account };
  } finally {
    client.destroy();
  }
}
