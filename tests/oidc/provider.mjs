// The OpenID Connect provider the tests log in at: panva's certified oidc-provider, configured
// as Microsoft Entra ID behaves for an app registration with app roles — code flow with PKCE,
// the app roles in the id_token's `roles` claim, RP-initiated logout. Started by
// tests/oidc_provider.py as `node provider.mjs` with:
//   PORT           where it listens (the issuer is http://127.0.0.1:PORT)
//   REDIRECT_URI   the app's callback (http://127.0.0.1:APP/inloggen/oidc/terug)
//   LOGOUT_URI     where the provider's logout sends the browser back (the app's /inloggen)
//   CLIENT_ID, CLIENT_SECRET
// It prints "klaar" when it listens. `PUT /test/rollen/<name>` changes a user's app roles.
//
// The users log in with their name only (a minimal form; no password: this is a test's provider).
// Some users get a tampered id_token from the token endpoint, to prove the app refuses it:
//   vervalst         the roles changed to programmamanager after signing (signature no longer fits)
//   vreemde-sleutel  signed with a key that is not the provider's
//   verlopen         correctly signed, expired an hour ago
//   andere-client    correctly signed, for another client (aud), with azp naming ours
//   twee-clients     correctly signed, for ours and another client (aud), with azp naming ours
//   andere-uitgever  correctly signed, another issuer
//   andere-nonce     correctly signed, the nonce of another login
import { createServer } from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clientId = process.env.CLIENT_ID;

const ROLE = {
  pm: 'jeugdmonitor.programmamanager',
  trekker: 'jeugdmonitor.trekker',
  lezer: 'jeugdmonitor.lezer',
};
const ACCOUNTS = {
  petra: { name: 'Petra Manager', preferred_username: 'petra.manager@huizen.example', roles: [ROLE.pm],
    email: 'Petra.Manager@Huizen.example', email_verified: true },
  // an address the provider has not verified: not taken for the digest
  rob: { name: 'Rob Onbevestigd', preferred_username: 'rob@huizen.example', roles: [ROLE.lezer],
    email: 'rob@huizen.example', email_verified: false },
  anna: { name: 'Anna de Trekker', preferred_username: 'anna@huizen.example', roles: [ROLE.trekker] },
  raad: { name: 'Rob Raadslid', preferred_username: 'rob.raadslid@huizen.example', roles: [ROLE.lezer] },
  // several app roles: the highest counts
  beide: { name: 'Bea Beide', preferred_username: 'bea@huizen.example', roles: [ROLE.lezer, ROLE.pm] },
  // logged in at the provider, but no app role for the Jeugdmonitor (only other apps' roles)
  geenrol: { name: 'Gijs Geenrol', preferred_username: 'gijs@huizen.example', roles: ['ander.programma.beheerder'] },
  vervalst: { name: 'Vera Vervalst', preferred_username: 'vera@huizen.example', roles: [ROLE.lezer] },
  'vreemde-sleutel': { name: 'Victor Vreemd', preferred_username: 'victor@huizen.example', roles: [ROLE.lezer] },
  verlopen: { name: 'Vincent Verlopen', preferred_username: 'vincent@huizen.example', roles: [ROLE.lezer] },
  'andere-client': { name: 'Arie Ander', preferred_username: 'arie@huizen.example', roles: [ROLE.lezer] },
  'twee-clients': { name: 'Tom Twee', preferred_username: 'tom@huizen.example', roles: [ROLE.lezer] },
  'andere-uitgever': { name: 'Ursula Uitgever', preferred_username: 'ursula@huizen.example', roles: [ROLE.lezer] },
  'andere-nonce': { name: 'Nina Nonce', preferred_username: 'nina@huizen.example', roles: [ROLE.lezer] },
};

const signing = await jose.generateKeyPair('RS256', { extractable: true });
const foreign = await jose.generateKeyPair('RS256', { extractable: true });
const KID = 'test-sleutel';
const jwk = { ...(await jose.exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };

// an icon of its own: else the browser asks /favicon.ico, a 404 in the tests' console errors
const page = (title, body) => `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title>
<link rel="icon" href="data:,"></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.LOGOUT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-provider-cookie-key-0123456789'] },
  pkce: { required: () => true },
  claims: { openid: ['sub', 'roles'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
  // as Entra ID: the claims in the id_token itself (the app reads them there, not from userinfo)
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Afmelden bij de test-inlogdienst?', `${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, afmelden</button>
<button type="submit" form="op.logoutForm">Nee, aangemeld blijven</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Afgemeld', '<p>U bent afgemeld.</p>'); },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Fout bij de test-inlogdienst', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // a first-party app: no consent screen (as an Entra app with admin consent)
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    grant.addOIDCClaims(['roles', 'name', 'preferred_username', 'email', 'email_verified']);
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, sub) => (ACCOUNTS[sub] ? { accountId: sub, claims: async () => ({ sub, ...ACCOUNTS[sub] }) } : undefined),
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The login form (prompt "login"): a name from ACCOUNTS.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'POST') {
    const login = (await readForm(ctx.req)).get('login') || '';
    if (ACCOUNTS[login]) {
      ctx.status = 303;
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: login } },
        { mergeWithLastSubmission: false }));
      return undefined;
    }
  }
  ctx.type = 'html';
  ctx.body = page('Aanmelden bij de test-inlogdienst', `<form method="post" action="/interaction/${details.uid}">
<label for="login">Naam</label> <input id="login" name="login" autofocus>
<button type="submit">Aanmelden</button></form>`);
  return undefined;
});

// The test's administrator: `PUT /test/rollen/<name>` with the app roles (separated by spaces) as
// the body changes the user's app roles, as assigning another app role in Entra ID does.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/test\/rollen\/([\w-]+)$/);
  if (!match || ctx.method !== 'PUT' || !ACCOUNTS[match[1]]) return next();
  let body = '';
  for await (const chunk of ctx.req) body += chunk;
  ACCOUNTS[match[1]].roles = body.split(/\s+/).filter(Boolean);
  ctx.status = 204;
  return undefined;
});

// Tampering for some users, on the way out of the token endpoint.
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
async function tampered(idToken) {
  const [header, payload, signature] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const sign = (changed, key = signing.privateKey) => new jose.SignJWT(changed)
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
  const now = Math.floor(Date.now() / 1000);
  switch (claims.sub) {
    case 'vervalst': return `${header}.${b64({ ...claims, roles: [ROLE.pm] })}.${signature}`;
    case 'vreemde-sleutel': return sign(claims, foreign.privateKey);
    case 'verlopen': return sign({ ...claims, iat: now - 7200, exp: now - 3600 });
    case 'andere-client': return sign({ ...claims, aud: 'een-andere-app', azp: clientId });
    case 'twee-clients': return sign({ ...claims, aud: [clientId, 'een-andere-app'], azp: clientId });
    case 'andere-uitgever': return sign({ ...claims, iss: 'http://127.0.0.1:1/andere-uitgever' });
    case 'andere-nonce': return sign({ ...claims, nonce: 'de-nonce-van-een-andere-aanmelding' });
    default: return idToken;
  }
}
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await tampered(ctx.body.id_token) };
  }
});

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => console.log('klaar'));
