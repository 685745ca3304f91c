import { randomBytes } from 'node:crypto';

/*
 * Temporary credentials issued by AssumeRole, as AWS issues them: an `ASIA…` access key id, a secret and a session
 * token, valid until their Expiration. Each belongs to the account of the role it was issued for; requests signed
 * with it are served from that account's data. The table is bounded: expired sessions are dropped as new ones are
 * issued, and past MAX_SESSIONS the oldest goes (a client that asks for credentials in a loop cannot grow it).
 */

export const MAX_SESSIONS = 10_000;

export interface Session {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  /** The role's account: whose data the session's requests see. */
  readonly accountId: string;
  /** arn:<partition>:sts::<account>:assumed-role/<role>/<session> */
  readonly assumedRoleArn: string;
  /** `AROA…:<session name>`: GetCallerIdentity's UserId. */
  readonly assumedRoleId: string;
  /** Role chaining (AssumeRole signed with temporary credentials) caps the duration at an hour, as AWS does. */
  readonly chained: boolean;
}

export interface SessionRequest {
  readonly partition: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly chained: boolean;
  readonly now: Date;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` and 16 characters of AWS's access key alphabet (upper case and 2-7). */
function keyId(prefix: string): string {
  const bytes = randomBytes(16);
  return prefix + [...bytes].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('');
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly capacity = MAX_SESSIONS) {}

  issue(request: SessionRequest): Session {
    this.dropExpired(request.now);
    while (this.sessions.size >= this.capacity) {
      // Maps keep insertion order: the first key is the oldest session.
      this.sessions.delete(this.sessions.keys().next().value!);
    }
    const accessKeyId = keyId('ASIA');
    const role = `${request.roleName}/${request.sessionName}`;
    const session: Session = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(request.now.getTime() + request.durationSeconds * 1000),
      accountId: request.accountId,
      assumedRoleArn: `arn:${request.partition}:sts::${request.accountId}:assumed-role/${role}`,
      assumedRoleId: `${roleId(request.accountId, request.roleName)}:${request.sessionName}`,
      chained: request.chained,
    };
    this.sessions.set(accessKeyId, session);
    return session;
  }

  /** The session of an access key id, expired or not (the verifier tells the two apart). */
  get(accessKeyId: string): Session | undefined {
    return this.sessions.get(accessKeyId);
  }

  get size(): number {
    return this.sessions.size;
  }

  clear(): void {
    this.sessions.clear();
  }

  private dropExpired(now: Date): void {
    for (const [id, session] of this.sessions) {
      if (session.expiration.getTime() <= now.getTime()) this.sessions.delete(id);
    }
  }
}

/** A role's unique id (`AROA` + 17 characters), the same for the same role on every run, as a role's id is. */
function roleId(accountId: string, roleName: string): string {
  let hash = 0n;
  for (const c of `${accountId}/${roleName}`) hash = (hash * 131n + BigInt(c.charCodeAt(0))) % 2n ** 85n;
  let id = '';
  for (let i = 0; i < 17; i += 1) {
    id += KEY_ALPHABET[Number(hash % 32n)];
    hash /= 32n;
  }
  return `AROA${id}`;
}
