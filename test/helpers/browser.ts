import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumExecutable } from './chromium-path.js';

/**
 * Headless Chromium (see chromiumExecutable for which one) driven by playwright-core.
 * The flags keep Chromium from reaching for Google's services, which this machine (and
 * an air-gapped install) cannot reach.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumExecutable(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every URL the page asks for, to prove nothing leaves the server. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** The requests that went anywhere but `origin` (blob: and data: URLs are local). */
export function foreignRequests(urls: string[], origin: string): string[] {
  return urls.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
}
