import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTERNET_EVENT_ID } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * The playground as a new user meets it: a real (headless) Chromium opens the GraphQL endpoint, GraphiQL loads from
 * the gateway's own assets, and an example operation runs against the demo data. The machine may have no network at
 * all; every request the page makes is recorded and must stay on the gateway's loopback origin.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = 'test-results/playground.png';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let stack: Stack;
let context: BrowserContext | undefined;
let profileDir: string | undefined;

/**
 * A fresh profile each run, so no earlier GraphiQL state (tabs, history) hides the examples. Called inside the
 * test rather than in a hook: a missing browser then fails the test itself instead of leaving it skipped.
 */
async function launchBrowser(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's build (as root: apt-get update && apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH; .ci/run installs it when missing.',
    );
  }
  profileDir = mkdtempSync(join(tmpdir(), 'playground-profile-'));
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: ARGS });
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await context?.close();
  await stack?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('GraphiQL playground in a browser', () => {
  it('runs an example operation against the demo data using only the gateway origin', async () => {
    const origin = new URL(stack.gateway.url).origin;
    const requested: string[] = [];
    const problems: string[] = [];
    context = await launchBrowser();
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });

    const response = await page.goto(stack.gateway.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 15_000 });
    // The first example tab is open in the editor before anything is typed.
    await expect
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), the text the user sees
      .poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000, interval: 100 })
      .toContain('query ActiveInternetEvents');

    stack.resetCalls();
    await run.click();
    const result = page.locator('.graphiql-response');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText(), the text the user sees
    await expect.poll(() => result.innerText(), { timeout: 15_000, interval: 100 }).toContain(DEMO_INTERNET_EVENT_ID);
    // The result came from the gateway (and through it the emulator), not from anything cached in the page.
    expect(stack.calls()).toEqual({ 'internetmonitor:ListInternetEvents': 1 });

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
