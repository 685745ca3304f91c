import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNT_ID,
  DEMO_EVENT_STREAM_ARN,
  DEMO_LARGE_ASN_INTERNET_EVENT_ID,
  DEMO_MEMBER_ACCOUNT_ID,
  DEMO_MEMBER_EVENT_STREAM_ARN,
} from '../../src/emulator/index.js';

/** `npm run demo`, exactly as the README says, on free ports. */
let child: ChildProcess;
let url: string;
let output = '';

beforeAll(async () => {
  child = spawn('npm', ['run', '-s', 'demo'], {
    env: { ...process.env, PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in time:\n${output}`)), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /GraphQL gateway ready at (http:\/\/\S+\/graphql)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
}, 30_000);

afterAll(() => {
  if (child?.pid) process.kill(-child.pid, 'SIGTERM');
});

async function query(q: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: q }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

describe('npm run demo', () => {
  it('prints where the gateway and the emulator listen', () => {
    expect(output).toMatch(/AWS emulator listening at http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/GraphQL gateway ready at http:\/\/127\.0\.0\.1:\d+\/graphql/);
  });

  it('answers the README example from the demo data', async () => {
    const res = await query(
      `{ eventStreams(domainName: "retail-customers") { nodes { name state destination { status kinesisStreamName } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.eventStreams.nodes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(res.data.eventStreams.nodes.map((n: any) => n.state))).toEqual(new Set(['RUNNING', 'STOPPED']));
  });

  it('serves all three services and a 4-byte AS number from the demo data', async () => {
    const res = await query(`{
      node(id: "${DEMO_EVENT_STREAM_ARN}") { id }
      internetEvent(eventId: "${DEMO_LARGE_ASN_INTERNET_EVENT_ID}") { clientLocation { asNumber } }
      eventTrackers(region: "us-west-2") { nodes { status statusText } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.node.id).toBe(DEMO_EVENT_STREAM_ARN);
    expect(res.data.internetEvent.clientLocation.asNumber).toBeGreaterThan(2 ** 31 - 1);
    expect(res.data.eventTrackers.nodes.map((n: any) => n.status).sort()).toEqual(['CREATE_FAILED', 'CREATE_PENDING']);
  });

  it('spans two accounts: its own and the member account it assumes a role in', async () => {
    const res = await query(`{
      domains(accounts: ["*"], regions: ["us-east-1", "eu-west-1"]) { nodes { accountId } }
      node(id: "${DEMO_MEMBER_EVENT_STREAM_ARN}") {
        ... on EventStream { accountId destination { kinesisStream { arn accountId } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data.domains.nodes.map((n: { accountId: string }) => n.accountId))).toEqual(
      new Set([DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID]),
    );
    expect(res.data.node.accountId).toBe(DEMO_MEMBER_ACCOUNT_ID);
    expect(res.data.node.destination.kinesisStream.accountId).toBe(DEMO_MEMBER_ACCOUNT_ID);
  });

  it('dates its data from its own start: the newest event started 38 minutes before, listed first', async () => {
    const res = await query('{ internetEvents(first: 3) { nodes { startedAt status } } }');
    expect(res.errors).toBeUndefined();
    const [newest, ...older] = res.data.internetEvents.nodes;
    const age = Date.now() - Date.parse(newest.startedAt);
    // 38 minutes, plus the seconds since the demo started.
    expect(age).toBeGreaterThanOrEqual(38 * 60_000);
    expect(age).toBeLessThan(40 * 60_000);
    expect(newest.status).toBe('ACTIVE');
    for (const event of older) expect(Date.parse(event.startedAt)).toBeLessThanOrEqual(Date.parse(newest.startedAt));
  });
});
