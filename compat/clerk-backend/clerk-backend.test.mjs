// The real @clerk/backend SDK (pinned in package.json) against a running orgkeys: ORGKEYS_URL and ORGKEYS_SECRET_KEY
// (a backend secret key) come from the environment; ./run starts the server and makes the key. Starts nothing itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClerkClient, verifyToken } from '@clerk/backend';
import { verifyWebhook } from '@clerk/backend/webhooks';
import http from 'node:http';

const url = process.env.ORGKEYS_URL;
const secretKey = process.env.ORGKEYS_SECRET_KEY;
if (!url || !secretKey) throw new Error('set ORGKEYS_URL and ORGKEYS_SECRET_KEY (see ./run)');

const clerk = createClerkClient({ secretKey, apiUrl: url });

/** A signed-in user (their session cookie) and their organization, made through orgkeys' own API. */
async function signUpWithOrganization() {
  const email = `compat-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const signUp = await fetch(`${url}/api/auth/sign-up`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long compat passphrase', name: 'Compat' }),
  });
  assert.equal(signUp.status, 201, await signUp.text());
  const cookie = signUp.headers.get('set-cookie').split(';')[0];
  const created = await fetch(`${url}/api/organizations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: url },
    body: JSON.stringify({ name: 'Compat Inc' }),
  });
  const organization = await created.text();
  assert.equal(created.status, 201, organization);
  return { cookie, organizationId: JSON.parse(organization).id };
}

/** A user made with the SDK: their id and email. */
async function newUser() {
  const email = `compat-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const user = await clerk.users.createUser({ emailAddress: [email], firstName: 'Compat' });
  return { id: user.id, email };
}

/** An organization made with the SDK, its admin a new user: its id. */
async function newOrganization() {
  const admin = await newUser();
  return (await clerk.organizations.createOrganization({ name: 'Compat Inc', createdBy: admin.id })).id;
}

test('apiKeys.create, list, get, revoke and verify with the real SDK', async () => {
  const subject = await newOrganization();

  const created = await clerk.apiKeys.create({
    name: 'customer key', subject, description: 'made by @clerk/backend', scopes: ['org:agents:read'],
    secondsUntilExpiration: 3600,
  });
  assert.equal(created.type, 'api_key');
  assert.equal(created.subject, subject);
  assert.equal(created.name, 'customer key');
  assert.deepEqual(created.scopes, ['org:agents:read']);
  assert.equal(created.revoked, false);
  assert.match(created.secret, /^ok_[0-9A-Za-z]{49}$/);
  assert.ok(Math.abs(created.expiration - created.createdAt - 3_600_000) < 1000);
  assert.match(created.createdBy, /^secret_key:/);

  const list = await clerk.apiKeys.list({ subject });
  assert.equal(list.totalCount, 1);
  assert.equal(list.data[0].id, created.id);
  assert.equal(list.data[0].secret, null);

  const fetched = await clerk.apiKeys.get(created.id);
  assert.equal(fetched.description, 'made by @clerk/backend');

  const verified = await clerk.apiKeys.verify(created.secret);
  assert.equal(verified.id, created.id);
  assert.equal(verified.subject, subject);
  assert.deepEqual(verified.scopes, ['org:agents:read']);

  const revoked = await clerk.apiKeys.revoke({ apiKeyId: created.id, revocationReason: 'rotated' });
  assert.equal(revoked.revoked, true);
  assert.equal(revoked.revocationReason, 'rotated');

  await assert.rejects(clerk.apiKeys.verify(created.secret), (error) => {
    assert.equal(error.status, 404);
    assert.equal(error.errors[0].code, 'resource_not_found');
    return true;
  });
  assert.equal((await clerk.apiKeys.list({ subject })).totalCount, 0);
  assert.equal((await clerk.apiKeys.list({ subject, includeInvalid: true })).totalCount, 1);
});

test('errors reach the SDK as ClerkAPIResponseError with Clerk codes', async () => {
  await assert.rejects(clerk.apiKeys.create({ name: 'no subject' }), (error) => {
    assert.equal(error.status, 422);
    assert.equal(error.errors[0].code, 'form_param_invalid');
    assert.equal(error.errors[0].meta.paramName, 'subject');
    return true;
  });
  await assert.rejects(clerk.apiKeys.getSecret(crypto.randomUUID()), (error) => error.status === 404);
  const stranger = createClerkClient({ secretKey: 'sk_orgkeys_notARealKey', apiUrl: url });
  await assert.rejects(stranger.apiKeys.list({ subject: crypto.randomUUID() }), (error) => {
    assert.equal(error.status, 401);
    assert.equal(error.errors[0].code, 'authentication_invalid');
    return true;
  });
});

test('users.createUser, getUser, getUserList, updateUser, updateUserMetadata and deleteUser with the real SDK', async () => {
  const email = `compat-user-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const created = await clerk.users.createUser({
    emailAddress: [email], password: 'a long compat passphrase 2', firstName: 'Ada', lastName: 'Lovelace',
    publicMetadata: { plan: 'pro' }, privateMetadata: { stripe: 'cus_1' },
  });
  assert.equal(created.fullName, 'Ada Lovelace');
  assert.equal(created.primaryEmailAddress.emailAddress, email);
  assert.deepEqual(created.publicMetadata, { plan: 'pro' });
  assert.deepEqual(created.privateMetadata, { stripe: 'cus_1' });
  assert.deepEqual(created.unsafeMetadata, {});

  const fetched = await clerk.users.getUser(created.id);
  assert.equal(fetched.id, created.id);

  const list = await clerk.users.getUserList({ emailAddress: [email], orderBy: '-created_at', limit: 10 });
  assert.equal(list.totalCount, 1);
  assert.equal(list.data[0].id, created.id);

  const updated = await clerk.users.updateUser(created.id, { firstName: 'Ada King' });
  assert.equal(updated.firstName, 'Ada King');

  const merged = await clerk.users.updateUserMetadata(created.id, {
    publicMetadata: { plan: null, seats: 5 }, unsafeMetadata: { theme: 'dark' },
  });
  assert.deepEqual(merged.publicMetadata, { seats: 5 });
  assert.deepEqual(merged.unsafeMetadata, { theme: 'dark' });
  assert.deepEqual(merged.privateMetadata, { stripe: 'cus_1' });

  await assert.rejects(clerk.users.createUser({ emailAddress: [email], firstName: 'Twin' }),
    (e) => e.status === 409 && e.errors[0].code === 'conflict');
  await assert.rejects(clerk.users.updateUserMetadata(created.id, { privateMetadata: { big: 'x'.repeat(9000) } }),
    (e) => e.status === 422 && e.errors[0].meta.paramName === 'private_metadata');

  const deleted = await clerk.users.deleteUser(created.id);
  assert.equal(deleted.id, created.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(clerk.users.getUser(created.id), (e) => e.status === 404);
});

test('sessions.getSessionList, getSession and revokeSession with the real SDK', async () => {
  const email = `compat-session-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = 'a long compat passphrase 3';
  const user = await clerk.users.createUser({ emailAddress: [email], password, firstName: 'Sam' });
  const signIn = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  assert.equal(signIn.status, 200, await signIn.text());
  const cookie = signIn.headers.get('set-cookie').split(';')[0];

  const list = await clerk.sessions.getSessionList({ userId: user.id, status: 'active' });
  assert.equal(list.totalCount, 1);
  const session = list.data[0];
  assert.equal(session.userId, user.id);
  assert.equal(session.status, 'active');
  assert.ok(!cookie.includes(session.id), 'the public id is not the cookie');

  const fetched = await clerk.sessions.getSession(session.id);
  assert.equal(fetched.id, session.id);

  const revoked = await clerk.sessions.revokeSession(session.id);
  assert.equal(revoked.status, 'revoked');
  const me = await fetch(`${url}/api/me`, { headers: { Cookie: cookie } });
  assert.equal(me.status, 401, 'the revoked session is refused at once');
  assert.equal((await clerk.sessions.getSessionList({ userId: user.id, status: 'active' })).totalCount, 0);
  await clerk.users.deleteUser(user.id);
});

test("apiKeys for a member: the user's id as subject, the organization in organizationId", async () => {
  const organizationId = await newOrganization();
  const member = await newUser();
  await clerk.organizations.createOrganizationMembership({ organizationId, userId: member.id, role: 'org:member' });
  const made = await clerk.apiKeys.create({ name: 'personal', subject: member.id, organizationId, scopes: ['org:agents:read'] });
  assert.equal(made.subject, member.id);
  assert.ok(made.secret);

  const verified = await clerk.apiKeys.verify(made.secret);
  assert.equal(verified.subject, member.id);
  assert.deepEqual(verified.scopes, ['org:agents:read']);
  const theirs = await clerk.apiKeys.list({ subject: member.id, organizationId });
  assert.deepEqual(theirs.data.map((key) => key.id), [made.id]);
  assert.equal((await clerk.apiKeys.list({ subject: organizationId })).totalCount, 0, "not among the organization's own");

  // a user's id without the organization is no organization: a 404 that says what to send
  await assert.rejects(clerk.apiKeys.create({ name: 'where?', subject: member.id }), (error) => {
    assert.equal(error.status, 404);
    assert.match(error.errors[0].longMessage, /organization_id/);
    return true;
  });

  // the member leaves: their key stops at once, revoked because its owner left
  await clerk.organizations.deleteOrganizationMembership({ organizationId, userId: member.id });
  await assert.rejects(clerk.apiKeys.verify(made.secret), (error) => error.status === 404);
  assert.equal((await clerk.apiKeys.get(made.id)).revocationReason, 'owner_left');
});

test('apiKeys.update and apiKeys.delete with the real SDK', async () => {
  const subject = await newOrganization();
  const created = await clerk.apiKeys.create({ name: 'to edit', subject, scopes: ['org:agents:read'] });

  const updated = await clerk.apiKeys.update({
    apiKeyId: created.id, subject, description: 'edited by @clerk/backend', scopes: ['org:agents:read', 'org:agents:manage'],
  });
  assert.equal(updated.id, created.id);
  assert.equal(updated.description, 'edited by @clerk/backend');
  assert.deepEqual(updated.scopes, ['org:agents:read', 'org:agents:manage']);
  assert.ok(updated.updatedAt >= updated.createdAt);
  assert.deepEqual((await clerk.apiKeys.verify(created.secret)).scopes, ['org:agents:read', 'org:agents:manage']);

  // a key stays in its organization and keeps its expiry; claims are not supported
  for (const change of [{ subject: crypto.randomUUID() }, { subject, claims: { tier: 'gold' } },
    { subject, secondsUntilExpiration: 60 }]) {
    await assert.rejects(clerk.apiKeys.update({ apiKeyId: created.id, ...change }), (error) => {
      assert.equal(error.status, 422);
      assert.equal(error.errors[0].code, 'form_param_invalid');
      return true;
    });
  }

  // a working key is not deleted: revoke it first
  await assert.rejects(clerk.apiKeys.delete(created.id), (error) => error.status === 409);
  await clerk.apiKeys.revoke({ apiKeyId: created.id });
  const deleted = await clerk.apiKeys.delete(created.id);
  assert.equal(deleted.object, 'api_key');
  assert.equal(deleted.id, created.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(clerk.apiKeys.get(created.id), (error) => error.status === 404);
  assert.equal((await clerk.apiKeys.list({ subject, includeInvalid: true })).totalCount, 0);
});

test('verifyToken verifies a session token from /api/session/token against /v1/jwks', async () => {
  const { cookie, organizationId } = await signUpWithOrganization();
  const response = await fetch(`${url}/api/session/token`, { headers: { Cookie: cookie } });
  const body = await response.text();
  assert.equal(response.status, 200, body);
  const { token } = JSON.parse(body);

  // what a backend does: the SDK fetches {apiUrl}/v1/jwks with the secret key and checks RS256, kid, exp, nbf, iat
  const claims = await verifyToken(token, { secretKey, apiUrl: url });
  const me = await (await fetch(`${url}/api/me`, { headers: { Cookie: cookie } })).json();
  assert.equal(claims.sub, me.user.id);
  assert.equal(claims.org_id, organizationId);
  assert.equal(claims.org_role, 'org:admin');
  assert.ok(Array.isArray(claims.org_permissions) && claims.org_permissions.length > 0);
  assert.match(claims.sid, /^[0-9a-f-]{36}$/);
  assert.equal(claims.exp - claims.iat, 60);
  assert.equal(claims.nbf, claims.iat);
  // azp is the issuer: a backend may pin it with authorizedParties
  assert.equal((await verifyToken(token, { secretKey, apiUrl: url, authorizedParties: [claims.iss] })).sub, me.user.id);

  // a changed payload, a wrong party and a wrong secret key are refused
  const [header, payload, signature] = token.split('.');
  const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
  forged.org_role = 'org:owner';
  await assert.rejects(verifyToken(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`,
    { secretKey, apiUrl: url }));
  await assert.rejects(verifyToken(token, { secretKey, apiUrl: url, authorizedParties: ['https://elsewhere.example'] }));
  await assert.rejects(verifyToken(token, { secretKey: 'sk_orgkeys_wrong', apiUrl: url, skipJwksCache: true }));
});

test('organizations.create, get, list, update and delete with the real SDK', async () => {
  const admin = await newUser();
  const slug = `compat-${crypto.randomUUID().slice(0, 8)}`;
  const created = await clerk.organizations.createOrganization({ name: 'Compat Org', slug, createdBy: admin.id });
  assert.equal(created.name, 'Compat Org');
  assert.equal(created.slug, slug);
  assert.deepEqual(created.publicMetadata, {});
  assert.ok(created.createdAt > 0);

  assert.equal((await clerk.organizations.getOrganization({ organizationId: created.id })).slug, slug);
  const bySlug = await clerk.organizations.getOrganization({ slug, includeMembersCount: true });
  assert.equal(bySlug.id, created.id);
  assert.equal(bySlug.membersCount, 1);

  const list = await clerk.organizations.getOrganizationList({ query: slug, limit: 10 });
  assert.equal(list.totalCount, 1);
  assert.equal(list.data[0].id, created.id);

  const updated = await clerk.organizations.updateOrganization(created.id, { name: 'Renamed Org' });
  assert.equal(updated.name, 'Renamed Org');

  const deleted = await clerk.organizations.deleteOrganization(created.id);
  assert.equal(deleted.id, created.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(clerk.organizations.getOrganization({ organizationId: created.id }), (error) => {
    assert.equal(error.status, 404);
    assert.equal(error.errors[0].code, 'resource_not_found');
    return true;
  });
});

test('organizations: metadata on create, updateOrganizationMetadata, replace and updateOrganization with the real SDK', async () => {
  const admin = await newUser();
  const created = await clerk.organizations.createOrganization({
    name: 'Meta Org', createdBy: admin.id,
    publicMetadata: { plan: 'pro', limits: { seats: 5, api: 10 } }, privateMetadata: { stripe: 'cus_1' },
  });
  assert.deepEqual(created.publicMetadata, { plan: 'pro', limits: { seats: 5, api: 10 } });
  assert.deepEqual(created.privateMetadata, { stripe: 'cus_1' });

  // a deep merge: null removes a key, nested objects merge, the private object is kept
  const merged = await clerk.organizations.updateOrganizationMetadata(created.id, {
    publicMetadata: { plan: null, limits: { api: null, seats: 8 } },
  });
  assert.deepEqual(merged.publicMetadata, { limits: { seats: 8 } });
  assert.deepEqual(merged.privateMetadata, { stripe: 'cus_1' });

  const replaced = await clerk.organizations.replaceOrganizationMetadata(created.id, { privateMetadata: { tier: 2 } });
  assert.deepEqual(replaced.privateMetadata, { tier: 2 });
  assert.deepEqual(replaced.publicMetadata, { limits: { seats: 8 } });

  // with metadata the SDK PATCHes the rest, then PUTs the metadata
  const updated = await clerk.organizations.updateOrganization(created.id, { name: 'Meta Renamed', publicMetadata: { b: true } });
  assert.equal(updated.name, 'Meta Renamed');
  assert.deepEqual(updated.publicMetadata, { b: true });
  assert.deepEqual((await clerk.organizations.getOrganization({ organizationId: created.id })).privateMetadata, { tier: 2 });

  await assert.rejects(clerk.organizations.updateOrganizationMetadata(created.id, { privateMetadata: { big: 'x'.repeat(9000) } }),
    (e) => e.status === 422 && e.errors[0].meta.paramName === 'private_metadata');
  assert.deepEqual((await clerk.organizations.getOrganization({ organizationId: created.id })).privateMetadata, { tier: 2 });
});

test('organization memberships: create, list, update and delete with the real SDK', async () => {
  const admin = await newUser();
  const joiner = await newUser();
  const organizationId = (await clerk.organizations.createOrganization({ name: 'Members Org', createdBy: admin.id })).id;

  const added = await clerk.organizations.createOrganizationMembership({ organizationId, userId: joiner.id, role: 'org:member' });
  assert.equal(added.role, 'org:member');
  assert.equal(added.organization.id, organizationId);
  assert.equal(added.publicUserData.userId, joiner.id);
  assert.equal(added.publicUserData.identifier, joiner.email);

  const list = await clerk.organizations.getOrganizationMembershipList({ organizationId });
  assert.equal(list.totalCount, 2);
  const admins = await clerk.organizations.getOrganizationMembershipList({ organizationId, role: ['org:admin'] });
  assert.deepEqual(admins.data.map((m) => m.publicUserData.userId), [admin.id]);

  await assert.rejects(
    clerk.organizations.createOrganizationMembership({ organizationId, userId: joiner.id, role: 'org:member' }),
    (error) => error.status === 409 && error.errors[0].code === 'already_a_member_in_organization');
  // the last admin stays
  await assert.rejects(
    clerk.organizations.updateOrganizationMembership({ organizationId, userId: admin.id, role: 'org:member' }),
    (error) => error.status === 409);

  const promoted = await clerk.organizations.updateOrganizationMembership({ organizationId, userId: joiner.id, role: 'org:admin' });
  assert.equal(promoted.role, 'org:admin');
  const removed = await clerk.organizations.deleteOrganizationMembership({ organizationId, userId: admin.id });
  assert.equal(removed.publicUserData.userId, admin.id);
  assert.equal((await clerk.organizations.getOrganizationMembershipList({ organizationId })).totalCount, 1);
});

test("webhooks: @clerk/backend's verifyWebhook accepts orgkeys' signed apiKey.created", async () => {
  // a receiver on loopback (./run starts orgkeys with WEBHOOKS_ALLOW_PRIVATE=true, as a developer would)
  let received;
  const arrived = new Promise((resolve) => { received = resolve; });
  const receiver = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      received({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const backend = { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' };
  let endpointId;
  try {
    const made = await fetch(`${url}/v1/webhooks/endpoints`, {
      method: 'POST', headers: backend,
      body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hook`, eventTypes: ['apiKey.created'] }),
    });
    const endpoint = await made.json();
    assert.equal(made.status, 201, JSON.stringify(endpoint));
    endpointId = endpoint.id;
    const { secret } = await (await fetch(`${url}/v1/webhooks/endpoints/${endpointId}/secret`, { headers: backend })).json();
    assert.match(secret, /^whsec_/);

    const key = await clerk.apiKeys.create({ name: 'hooked', subject: await newOrganization() });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no delivery in 30 s')), 30_000));
    const delivery = await Promise.race([arrived, timeout]);
    const request = new Request('http://receiver/hook', { method: 'POST', headers: delivery.headers, body: delivery.body });
    const event = await verifyWebhook(request, { signingSecret: secret });
    assert.equal(event.type, 'apiKey.created');
    assert.equal(event.data.id, key.id);
    assert.equal(event.data.secret, undefined, 'never the secret');

    // one byte changed in the body: Clerk's verifier refuses it
    const tampered = new Request('http://receiver/hook', { method: 'POST', headers: delivery.headers,
      body: delivery.body.replace('hooked', 'hookex') });
    await assert.rejects(verifyWebhook(tampered, { signingSecret: secret }), /verify/);
  } finally {
    if (endpointId) await fetch(`${url}/v1/webhooks/endpoints/${endpointId}`, { method: 'DELETE', headers: backend });
    receiver.close();
  }
});
