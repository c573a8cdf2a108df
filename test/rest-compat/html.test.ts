import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const browserHeaders = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('/v3 for browsers', () => {
  let server: TestApp;
  let browser: Record<string, string>;
  let script: Record<string, string>;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    script = { authorization: `Bearer ${server.token}` };
    browser = { ...browserHeaders, ...script };
  });
  afterAll(() => server?.close());

  it('wraps the body in the API UI page for a browser, and issues a CSRF cookie', async () => {
    const response = await fetch(`${server.url}/v3/clusters`, { headers: browser });
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('set-cookie')).toMatch(/^CSRF=[0-9a-f]{32}; Path=\/; SameSite=Lax$/);
    const page = await response.text();
    expect(page).toContain('"resourceType":"cluster"');
    expect(page).toMatch(/<script src="\/api-ui\/[0-9a-f]{12}\/api-ui\.js" defer><\/script>/);
  });

  it('answers JSON to scripts, to _format=json, and HTML to _format=html', async () => {
    expect((await fetch(`${server.url}/v3/clusters`, { headers: script })).headers.get('content-type')).toBe('application/json');
    expect((await fetch(`${server.url}/v3/clusters?_format=json`, { headers: browser })).headers.get('content-type')).toBe('application/json');
    expect((await fetch(`${server.url}/v3/clusters?_format=html`, { headers: script })).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('can never be made to close its script element or reflect the URL raw', async () => {
    await server.graphql(`mutation { createCluster(input: { name: "xss", description: "</script><script>alert(1)</script>" }) { id } }`);
    const page = await (await fetch(`${server.url}/v3/clusters?name=xss&x=%3C/script%3E%3Cimg%20src=x%3E`, { headers: browser })).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x>');
    expect(page.match(/<\/script>/g)).toHaveLength(2);
  });
});
