import { describe, expect, it } from 'vitest';
import { GatewayCredentials, credentialSources } from '../../src/aws/credentials.js';

/** A credential chain that fails until `works` is set, counting its runs. */
function chain() {
  const state = { works: false, runs: 0 };
  const provider = async () => {
    state.runs++;
    if (!state.works)
      throw Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' });
    return { accessKeyId: 'AKID', secretAccessKey: 'secret' };
  };
  return { state, provider };
}

describe('the gateway credentials', () => {
  it('are resolved at once when static (the demo)', async () => {
    const credentials = new GatewayCredentials({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect(credentials.state).toBe('pending');
    expect(await credentials.resolve()).toBe(true);
    expect(credentials.ready()).toBe(true);
  });

  it('retry in the background at most every 2 s while they do not resolve, and become ready when they do', async () => {
    let now = 0;
    const { state, provider } = chain();
    const credentials = new GatewayCredentials({}, provider as never, () => now);
    expect(await credentials.resolve()).toBe(false);
    expect(credentials.state).toBe('unavailable');
    // Probes answer at once; within the interval they start nothing.
    now = 1_000;
    expect(credentials.ready()).toBe(false);
    expect(state.runs).toBe(1);
    state.works = true;
    now = 2_000;
    expect(credentials.ready()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.runs).toBe(2);
    expect(credentials.ready()).toBe(true);
  });

  it('share one resolution between concurrent callers', async () => {
    const { state, provider } = chain();
    state.works = true;
    const credentials = new GatewayCredentials({}, provider as never);
    expect(await Promise.all([credentials.resolve(), credentials.resolve()])).toEqual([true, true]);
    expect(state.runs).toBe(1);
  });

  it('name the files of the profile the SDK reads, and whether the instance metadata service was asked', () => {
    const sources = credentialSources({ HOME: '/home/ops', AWS_PROFILE: 'prod', AWS_EC2_METADATA_DISABLED: 'true' });
    expect(sources.join('\n')).toContain('profile "prod" of /home/ops/.aws/credentials and /home/ops/.aws/config');
    expect(sources.at(-1)).toContain('AWS_EC2_METADATA_DISABLED is set');
    expect(credentialSources({ HOME: '/h' }).at(-1)).toBe('the EC2 instance metadata service');
  });
});
