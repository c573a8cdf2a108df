import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { graphqlAs, login } from '../helpers/app.js';
import { startLoggedApp, type CapturedLog } from '../helpers/logged-app.js';
import { v3 } from '../rest-compat/helpers.js';
import { basic, secretOf } from './helpers.js';

const adminPassword = 'admin-password-in-no-log';

describe.each(['debug', 'info'])('secrets in the log at level %s', (level) => {
  let app: App;
  let log: CapturedLog;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ app, log, close } = await startLoggedApp(level, adminPassword));
  });
  afterAll(() => close?.());

  it('never contains a password, a key or a session secret', async () => {
    const secrets: string[] = [adminPassword];
    const session = await login(app.url, 'admin', adminPassword);
    secrets.push(secretOf(session));

    const viaGraphQL = await graphqlAs(app.url, undefined, `mutation($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { username: 'admin', password: adminPassword },
    });
    secrets.push(secretOf(viaGraphQL.data!.login.token));

    const key = await graphqlAs(app.url, session, `mutation { createToken(input: { name: "logged" }) { token } }`);
    secrets.push(secretOf(key.data!.createToken.token));
    const restKey = await v3({ url: app.url, token: session }, 'POST', '/v3/tokens', { name: 'logged-v3' });
    secrets.push(secretOf(restKey.body.token));

    expect((await v3({ url: app.url }, 'GET', '/v3/clusters', undefined, { authorization: basic(key.data!.createToken.token) })).status).toBe(200);
    expect((await v3({ url: app.url }, 'GET', '/v3/clusters', undefined, { authorization: basic(`${restKey.body.id}:${'w'.repeat(43)}`) })).status).toBe(401);

    const userPassword = 'first password of dan';
    const created = await graphqlAs(app.url, session, `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { username: 'dan', password: userPassword },
    });
    const danId = created.data!.createUser.id;
    const setPassword = 'password set by the admin';
    await graphqlAs(app.url, session, `mutation($id: ID!, $input: SetPasswordInput!) { setUserPassword(id: $id, input: $input) { id } }`, {
      id: danId,
      input: { newPassword: setPassword },
    });
    const danSession = await login(app.url, 'dan', setPassword);
    const changedPassword = 'password dan chose himself';
    await graphqlAs(app.url, danSession, `mutation($id: ID!, $input: ChangePasswordInput!) { changeUserPassword(id: $id, input: $input) { id } }`, {
      id: danId,
      input: { currentPassword: setPassword, newPassword: changedPassword },
    });
    const wrongPassword = 'a wrong password tried by dan';
    await v3({ url: app.url }, 'POST', '/v3-public/localProviders/local?action=login', { username: 'dan', password: wrongPassword });
    await graphqlAs(app.url, undefined, `mutation { login(input: { username: "dan", password: "${wrongPassword} inline" }) { id } }`);
    secrets.push(userPassword, setPassword, changedPassword, wrongPassword, secretOf(danSession));

    // A cluster's registration token, and Rancher's manifest address, which is named by it.
    const cluster = await v3({ url: app.url, token: session }, 'POST', '/v3/clusters', { name: 'logged-cluster' });
    const registration = await v3({ url: app.url, token: session }, 'GET', `/v3/clusterregistrationtokens/${cluster.body.id}:default-token`);
    secrets.push(registration.body.token);
    await fetch(registration.body.manifestUrl);
    expect(log.raw).toContain('/v3/import/…');

    // Proof that the sink saw this traffic at all.
    expect(log.raw).toContain('/v3-public/localProviders/local');
    for (const secret of secrets) expect(log.raw, `a secret reached the ${level} log`).not.toContain(secret);
  });
});
