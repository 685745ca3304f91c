import { AwsError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { partitionOf } from './services.js';
import { InputValidator } from './validation.js';

/*
 * AWS Security Token Service (awsQuery, signing name `sts`).
 * - GetCallerIdentity: who signed the request. Long-term key pairs belong to the fixtures' first account and answer as
 *   its root user (`arn:<partition>:iam::<account>:root`, the account id as the user id), as AWS answers root
 *   credentials; temporary ones answer their assumed role
 *   (`arn:<partition>:sts::<account>:assumed-role/<role>/<session>`, user id `AROA…:<session>`).
 * - AssumeRole of `arn:<partition>:iam::<account>:role/<name>`: temporary credentials bound to that account, when the
 *   account is in the fixtures and the role is one it lists (or it lists none); AccessDenied otherwise. ExternalId is
 *   checked for its constraints only (the emulator models no trust policies).
 */

// RoleArn 20-2048; the role name is the last path segment (roles may have a path: role/team/name).
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = { required: true, min: 2, max: 64, pattern: /^[\w+=,.@-]*$/ } as const;
const EXTERNAL_ID = { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/ } as const;
export const DEFAULT_SESSION_SECONDS = 3600;
/** Role chaining (assuming a role with temporary credentials) is limited to one hour, as in AWS. */
const CHAINED_MAX_SECONDS = 3600;

function parameters(body: unknown): Record<string, string> {
  return typeof body === 'object' && body !== null ? (body as Record<string, string>) : {};
}

/** The account of the role an AssumeRole asks for (to count it), or undefined when its RoleArn is not a role ARN. */
export function roleAccountOf(parameters: Readonly<Record<string, string>>): string | undefined {
  return ROLE_ARN.exec(parameters.RoleArn ?? '')?.[2];
}

export const getCallerIdentity: OperationDefinition = {
  service: 'sts',
  name: 'GetCallerIdentity',
  action: 'GetCallerIdentity',
  handle({ region, caller }: OperationRequest) {
    if (caller.session) {
      return { Arn: caller.session.assumedRoleArn, UserId: caller.session.assumedRoleId, Account: caller.accountId };
    }
    return {
      Arn: `arn:${partitionOf(region)}:iam::${caller.accountId}:root`,
      UserId: caller.accountId,
      Account: caller.accountId,
    };
  },
};

export const assumeRole: OperationDefinition = {
  service: 'sts',
  name: 'AssumeRole',
  action: 'AssumeRole',
  handle({ region, caller, estate, sessions, body, now }: OperationRequest) {
    const input = new InputValidator('sts');
    const request = parameters(body);
    const roleArn = input.string('roleArn', request.RoleArn, { required: true, min: 20, max: 2048 });
    const sessionName = input.string('roleSessionName', request.RoleSessionName, SESSION_NAME)!;
    input.string('externalId', request.ExternalId, EXTERNAL_ID);
    const durationSeconds =
      input.integer('durationSeconds', request.DurationSeconds, { min: 900, max: 43200 }) ?? DEFAULT_SESSION_SECONDS;
    input.throwIfInvalid();

    const callerArn = caller.session?.assumedRoleArn ?? `arn:${partitionOf(region)}:iam::${caller.accountId}:root`;
    const match = ROLE_ARN.exec(roleArn!);
    const [, partition, accountId, roleName] = match ?? [];
    if (!match || partition !== partitionOf(region) || !estate.hasRole(accountId!, roleName!)) {
      throw new AwsError(
        'AccessDenied',
        403,
        `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const chained = caller.session !== undefined;
    if (chained && durationSeconds > CHAINED_MAX_SECONDS) {
      throw new AwsError(
        'ValidationError',
        400,
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    const session = sessions.issue({
      partition: partition!,
      accountId: accountId!,
      roleName: roleName!,
      sessionName,
      durationSeconds,
      chained,
      now,
    });
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        // Whole seconds, as AWS sends it.
        Expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.assumedRoleArn },
    };
  },
};

export const stsOperations: readonly OperationDefinition[] = [getCallerIdentity, assumeRole];
