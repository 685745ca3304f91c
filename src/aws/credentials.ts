import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsSettings } from '../config.js';
import { GatewayError, classifyAwsError } from '../errors.js';
import { TOKEN_SERVICE } from './caller-identity.js';

type CredentialProvider = ReturnType<typeof defaultProvider>;
export type AwsCredentials = Awaited<ReturnType<CredentialProvider>>;

export type CredentialsState = 'pending' | 'resolved' | 'unavailable';

/**
 * While credentials are unavailable, a readiness probe starts one more resolution at most this often, in the
 * background: the chain may wait on the instance metadata service, and a probe must answer at once.
 */
const RETRY_INTERVAL_MS = 2_000;

/**
 * The gateway's own AWS credentials, resolved at start so that a gateway without any says so at once (a warning,
 * `/readyz` 503) rather than at the first query. The chain is the SDK's default one, which every SDK client builds
 * for itself too; the caller-identity lookup uses this very provider, so the account lookup and this state agree. A failed
 * resolution is not remembered: the next one (a probe, or a request that learns the account) tries again, so a
 * gateway whose credentials appear later (a container credentials endpoint that was not ready) becomes ready
 * without a restart.
 */
export class GatewayCredentials {
  private current: CredentialsState = 'pending';
  private lastAttempt = 0;
  private inFlight: Promise<boolean> | undefined;
  /** Credentials as the SDK clients take them: static ones (the demo's), or the chain, recording every outcome. */
  readonly provider: CredentialProvider;

  constructor(
    settings: Pick<AwsSettings, 'credentials'>,
    chain: CredentialProvider = defaultProvider(),
    private readonly clock: () => number = Date.now,
  ) {
    const source: CredentialProvider = settings.credentials
      ? async () => settings.credentials as AwsCredentials
      : chain;
    this.provider = async (options) => {
      this.lastAttempt = this.clock();
      try {
        const credentials = await source(options);
        this.current = 'resolved';
        return credentials;
      } catch (error) {
        this.current = 'unavailable';
        throw error;
      }
    };
  }

  get state(): CredentialsState {
    return this.current;
  }

  /** Resolves the credentials once (concurrent callers share the attempt); true when they resolved. */
  resolve(): Promise<boolean> {
    this.inFlight ??= this.provider().then(
      () => true,
      () => false,
    );
    const attempt = this.inFlight;
    void attempt.finally(() => {
      if (this.inFlight === attempt) this.inFlight = undefined;
    });
    return attempt;
  }

  /**
   * For readiness: whether credentials have resolved, answered at once. While they have not, a new resolution is
   * started in the background at most every RETRY_INTERVAL_MS, and a later probe sees its outcome.
   */
  ready(): boolean {
    if (this.current === 'resolved') return true;
    if (!this.inFlight && this.clock() - this.lastAttempt >= RETRY_INTERVAL_MS) void this.resolve();
    return false;
  }
}

/**
 * Where the SDK's default credential chain looks, in its order, for this process's environment: what an operator
 * needs to read when it found nothing, and what to set.
 */
export function credentialSources(env: Record<string, string | undefined> = process.env): string[] {
  const home = env.HOME || env.USERPROFILE || homedir();
  const profile = env.AWS_PROFILE ?? 'default';
  const imdsOff = env.AWS_EC2_METADATA_DISABLED !== undefined && env.AWS_EC2_METADATA_DISABLED !== 'false';
  return [
    'the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    `profile "${profile}" of ${env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')} and ` +
      `${env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')} (static keys, SSO, role, credential_process)`,
    'a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN)',
    'the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)',
    imdsOff
      ? 'not the EC2 instance metadata service (AWS_EC2_METADATA_DISABLED is set)'
      : 'the EC2 instance metadata service',
  ];
}

/** What to set, in one sentence. */
export const CREDENTIALS_HINT =
  'set AWS_PROFILE (a profile of ~/.aws/config, e.g. after `aws configure` or `aws sso login`), or ' +
  'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run the gateway with an IAM role';

/** Assumed credentials are renewed this long before they expire: no call signs with credentials about to lapse. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/**
 * A role that could not be assumed is not asked for again this long: a missing role costs one call, not one per
 * query. A refusal (no such role, a trust policy that does not name the gateway) lasts until someone changes IAM:
 * kept longer than a failure that passes by itself (throttling, the network).
 */
const FAILURE_TTL_MS = 30_000;
const REFUSAL_TTL_MS = 5 * 60_000;
/** How AWS names a refused assumption (the query protocol's code, and the JSON protocols' one). */
const REFUSALS = new Set(['AccessDenied', 'AccessDeniedException']);

function failureTtlMs(error: unknown): number {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && REFUSALS.has(name) ? REFUSAL_TTL_MS : FAILURE_TTL_MS;
}
/** Assumed sessions last an hour (the security token service's default), renewed well before. */
const SESSION_SECONDS = 3_600;

/** Assumes `roleArn` with the gateway's own credentials: the SDK's provider (one role assumption per call of it). */
export type RoleAssumer = (roleArn: string) => CredentialProvider;

/**
 * Why a member account's role could not be assumed: FORBIDDEN when AWS refused it (no such role, a trust policy
 * that does not name the gateway, a wrong external id), else what the failure was (throttled, unavailable). It
 * names the account, so a list over many accounts reports which one it could not read.
 */
export class RoleNotAssumable extends GatewayError {
  constructor(accountId: string, region: string, cause: unknown) {
    const e = (cause ?? {}) as { name?: string };
    super(`The gateway could not assume its role in account ${accountId}.`, classifyAwsError(cause), {
      account: accountId,
      accountId,
      region,
      service: TOKEN_SERVICE.id,
      operation: TOKEN_SERVICE.assumeRole,
      ...(e.name && e.name !== 'Error' ? { awsErrorCode: e.name } : {}),
    });
    this.name = 'RoleNotAssumable';
  }
}

interface Held {
  credentials?: AwsCredentials;
  failure?: unknown;
  /** When the credentials should be renewed, or the failure forgotten. */
  until: number;
  pending?: Promise<AwsCredentials>;
}

/**
 * The credentials of the estate's member accounts (AWS_ACCOUNTS): one assumed-role session per account, shared by
 * every SDK client of that account (each service and region) and by every request, renewed REFRESH_BEFORE_MS before
 * it expires. SDK clients memoize credentials per client only; without this, twelve clients of one account would
 * each assume the role. Concurrent callers share one role assumption, and a failure is remembered briefly.
 */
export class MemberCredentials {
  private readonly held = new Map<string, Held>();
  private readonly providers = new Map<string, CredentialProvider>();

  constructor(
    private readonly settings: Pick<AwsSettings, 'memberAccounts' | 'defaultRegion'> &
      Partial<Pick<AwsSettings, 'callTimeoutMs'>>,
    private readonly assume: RoleAssumer,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The provider of a member account, or undefined for an account without a role (the gateway's own). */
  providerFor(accountId: string): CredentialProvider | undefined {
    const roleArn = this.settings.memberAccounts.get(accountId);
    if (!roleArn) return undefined;
    let provider = this.providers.get(accountId);
    if (!provider) {
      const assumeOnce = this.assume(roleArn);
      provider = () => this.credentialsOf(accountId, assumeOnce);
      this.providers.set(accountId, provider);
    }
    return provider;
  }

  /**
   * AWS refused a call of the account for its session (ExpiredToken, ...): its clock, not the gateway's, says the
   * session is over. The next call assumes the role again (one already being assumed is kept).
   */
  sessionRejected(accountId: string): void {
    const held = this.held.get(accountId);
    if (held?.credentials && !held.pending) this.held.delete(accountId);
  }

  private async credentialsOf(accountId: string, assumeOnce: CredentialProvider): Promise<AwsCredentials> {
    // SDK clients memoize credentials until five minutes before their `expiration`: presented as expiring now,
    // they are asked for before each signing, which this answers from `held` at no cost; a dropped session is
    // then renewed at the next call, not when a client's memo runs out.
    return { ...(await this.heldCredentials(accountId, assumeOnce)), expiration: new Date(this.clock()) };
  }

  private heldCredentials(accountId: string, assumeOnce: CredentialProvider): Promise<AwsCredentials> {
    const now = this.clock();
    const held = this.held.get(accountId);
    if (held?.pending) return held.pending;
    if (held && now < held.until) {
      if (held.credentials) return Promise.resolve(held.credentials);
      if (held.failure)
        return Promise.reject(new RoleNotAssumable(accountId, this.settings.defaultRegion, held.failure));
    }
    const pending = this.bounded(assumeOnce()).then(
      (credentials) => {
        const expires = credentials.expiration?.getTime() ?? now + SESSION_SECONDS * 1000;
        this.held.set(accountId, { credentials, until: Math.max(now, expires - REFRESH_BEFORE_MS) });
        return credentials;
      },
      (error: unknown) => {
        this.held.set(accountId, { failure: error, until: this.clock() + failureTtlMs(error) });
        throw new RoleNotAssumable(accountId, this.settings.defaultRegion, error);
      },
    );
    this.held.set(accountId, { ...held, until: held?.until ?? 0, pending });
    return pending;
  }

  /**
   * An assumption that does not answer within the call timeout fails (a timeout, remembered like any failure):
   * every call of the account waits on the shared one, and none may wait longer than its own call would.
   */
  private bounded(assumption: Promise<AwsCredentials>): Promise<AwsCredentials> {
    const timeoutMs = this.settings.callTimeoutMs;
    if (timeoutMs === undefined) return assumption;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`No answer to the role assumption within ${timeoutMs} ms.`);
        reject(Object.assign(error, { name: 'TimeoutError' }));
      }, timeoutMs);
      timer.unref();
    });
    return Promise.race([assumption, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Role assumption through the SDK's provider, signed with the gateway's own credentials, at the configured endpoint. */
export function sdkRoleAssumer(
  settings: Pick<
    AwsSettings,
    'defaultRegion' | 'endpointUrl' | 'externalId' | 'roleSessionName' | 'maxAttempts' | 'callTimeoutMs'
  >,
  gateway: CredentialProvider,
): RoleAssumer {
  // The same timeouts as every other client's (ClientRegistry): a silent endpoint fails the call, not the scope.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: Math.min(settings.callTimeoutMs, 3_000),
    requestTimeout: settings.callTimeoutMs,
  });
  return (roleArn) =>
    fromTemporaryCredentials({
      masterCredentials: gateway,
      params: {
        RoleArn: roleArn,
        RoleSessionName: settings.roleSessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
      },
      clientConfig: {
        region: settings.defaultRegion,
        maxAttempts: settings.maxAttempts,
        requestHandler,
        ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
      },
    });
}
