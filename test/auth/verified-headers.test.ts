import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentedCredential, type PresentedCredential } from '../../src/auth/credentials.js';
import { TokenService } from '../../src/services/tokens.js';
import { SettingService } from '../../src/services/settings.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { statusWith } from './helpers.js';

/**
 * An Authorization header verified once is answered from memory while the key it was
 * verified against stays cached and usable (src/services/tokens.ts `recognise`): these
 * hold that it is never answered past that — another secret, a key forgotten, disabled,
 * expired or re-read — and that what is remembered is bounded.
 */
describe('verified Authorization headers', () => {
  let server: TestApp;
  let tokens: TokenService;
  let settings: SettingService;
  let adminId: string;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
    settings = new SettingService(server.app.database.prisma);
    tokens = new TokenService(server.app.database.prisma, settings);
    adminId = (await server.app.database.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } })).id;
  });
  afterAll(() => server?.close());

  const newKey = async (ttl = 0, service = tokens) => (await service.issue(adminId, { ttl }, { isDerived: false })).token;
  const parsed = (authorization: string): PresentedCredential => {
    const credential = presentedCredential({ authorization });
    if (typeof credential !== 'object') throw new Error(`not a credential: ${authorization}`);
    return credential;
  };
  const verify = (authorization: string, service = tokens) => service.authenticate(parsed(authorization));

  it('knows a header only once it was verified, Bearer and Basic alike, as the way it was presented', async () => {
    const key = await newKey();
    const bearer = `Bearer ${key}`;
    const basic = `Basic ${Buffer.from(key).toString('base64')}`;
    expect(tokens.recognise(bearer)).toBeUndefined();
    const principal = await verify(bearer);
    expect(tokens.recognise(bearer)).toBe(principal);
    expect(tokens.recognise(basic)).toBeUndefined();
    await verify(basic);
    expect(tokens.recognise(basic)).toMatchObject({ tokenId: principal.tokenId, via: 'basic' });
    expect(tokens.recognise(bearer)?.via).toBe('bearer');
  });

  it('never knows a header with another secret for the same key, which is refused', async () => {
    const key = await newKey();
    await verify(`Bearer ${key}`);
    const forged = `Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(tokens.recognise(forged)).toBeUndefined();
  });

  it('never remembers a session cookie (it has no header to remember)', async () => {
    const key = await newKey();
    const credential = presentedCredential({ cookie: `R_SESS=${key}` });
    if (typeof credential !== 'object') throw new Error('the cookie should parse');
    await tokens.authenticate(credential);
    expect(credential.header).toBeUndefined();
    expect(tokens.recognise(key)).toBeUndefined();
  });

  it('forgets a header when its key, its user or every key is forgotten', async () => {
    const headers = [`Bearer ${await newKey()}`, `Bearer ${await newKey()}`, `Bearer ${await newKey()}`];
    const principals = await Promise.all(headers.map((header) => verify(header)));
    tokens.forgetKey(principals[0]!.tokenId);
    expect(headers.map((header) => tokens.recognise(header) !== undefined)).toEqual([false, true, true]);
    tokens.forgetUser(adminId);
    expect(headers.map((header) => tokens.recognise(header) !== undefined)).toEqual([false, false, false]);
    await Promise.all(headers.map((header) => verify(header)));
    tokens.forgetAll();
    expect(headers.map((header) => tokens.recognise(header) !== undefined)).toEqual([false, false, false]);
  });

  it('verifies again once the key was read again (a new secret digest would be compared)', async () => {
    const lifetimeMs = 50;
    const shortLived = new TokenService(server.app.database.prisma, settings, lifetimeMs);
    const header = `Bearer ${await newKey(0, shortLived)}`;
    await verify(header, shortLived);
    expect(shortLived.recognise(header)).toBeDefined();
    await sleep(lifetimeMs + 20);
    expect(shortLived.recognise(header)).toBeUndefined();
    await verify(header, shortLived);
    expect(shortLived.recognise(header)).toBeDefined();
  });

  it('stops knowing a header whose key expired, was disabled or was deleted', async () => {
    const expiring = `Bearer ${await newKey(100)}`;
    await verify(expiring);
    await sleep(150);
    expect(tokens.recognise(expiring)).toBeUndefined();
    await expect(verify(expiring)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const disabled = `Bearer ${await newKey()}`;
    const { tokenId } = await verify(disabled);
    await tokens.setEnabled(tokenId, false);
    expect(tokens.recognise(disabled)).toBeUndefined();
    await expect(verify(disabled)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const deleted = `Bearer ${await newKey()}`;
    await tokens.delete((await verify(deleted)).tokenId);
    expect(tokens.recognise(deleted)).toBeUndefined();
  });

  it('remembers at most 10,000 headers, forgetting the oldest first', async () => {
    const key = await newKey();
    // The same key written 10,001 ways (its index in spaces and tabs before it): each is its own header.
    const headers = Array.from({ length: 10_001 }, (_, index) => `Bearer${index.toString(2).padStart(14, '0').replace(/0/g, ' ').replace(/1/g, '\t')}${key}`);
    for (const header of headers) await verify(header);
    expect(tokens.recognise(headers[0]!)).toBeUndefined();
    expect(tokens.recognise(headers[1]!)).toBeDefined();
    expect(tokens.recognise(headers.at(-1)!)).toBeDefined();
  });

  it('does not remember a header padded beyond any we issue', async () => {
    const key = await newKey();
    const padded = `Bearer ${key}${' '.repeat(256)}`;
    await verify(padded);
    expect(tokens.recognise(padded)).toBeUndefined();
    await verify(`Bearer ${key}`);
    expect(tokens.recognise(`Bearer ${key}`)).toBeDefined();
  });

  it('over HTTP: a key used, then deactivated, is refused with the very same header', async () => {
    const created = await server.graphql(`mutation { createToken(input: { name: "used-then-off" }) { id token } }`);
    const { id, token } = created.data!.createToken as { id: string; token: string };
    expect(await statusWith(server, token)).toBe(200);
    expect(await statusWith(server, token)).toBe(200);
    const off = await server.graphql(`mutation($id: ID!) { deactivateToken(id: $id) { id } }`, { id });
    expect(off.errors).toBeUndefined();
    expect(await statusWith(server, token)).toBe(401);
  });
});
