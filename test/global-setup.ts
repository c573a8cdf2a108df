import { chromiumExecutable } from './helpers/chromium-path.js';

/**
 * Runs once before the test workers start: unpacks the npm-shipped Chromium (a few
 * seconds, once per installed version) so the page suites do not each start unpacking.
 */
export async function setup(): Promise<void> {
  await chromiumExecutable();
}
