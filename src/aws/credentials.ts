import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsSettings } from '../config.js';

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
 * for itself too; STS GetCallerIdentity uses this very provider, so the account lookup and this state agree. A failed
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
