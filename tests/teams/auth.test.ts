import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Activity } from 'botbuilder';
import { createAuthentication } from '../../src/adapters/teams/auth.js';
import { createTeamsAdapter, TeamsStartError } from '../../src/adapters/teams/index.js';
import type { Store } from '../../src/store/types.js';
import type { CodevService } from '../../src/app/service.js';
import { CHANNEL, channelMessage, TEAM } from './fixtures.js';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakes/bot-connector.js';
import { silentLogger } from './helpers.js';
import { startTeamsStack, type TeamsStack } from './stack.js';

// Bot Framework tokens signed by a local key: the channel's OpenID metadata and keys are
// served on loopback, and botbuilder's authentication is pointed at them.

const APP_ID = '2f1c3c5e-1234-4bcd-9ef0-123456789abc';
const ISSUER = 'https://api.botframework.com';

describe('Teams endpoint with an app id configured', () => {
  let keys: Server;
  let stack: TeamsStack;
  let sign: (claims: Record<string, unknown>, options?: { kid?: string; expiresIn?: string }) => Promise<string>;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'local-key', use: 'sig', alg: 'RS256' };
    keys = createServer((req, res) => {
      const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/openidconfiguration') {
        res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else {
        // Bot Framework keys name the channels they may sign for.
        res.end(JSON.stringify({ keys: [{ ...jwk, endorsements: ['msteams'] }] }));
      }
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    const metadata = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/openidconfiguration`;
    stack = await startTeamsStack({
      teams: { appId: APP_ID, appPassword: 'local-secret' },
      channelAuth: { toBotFromChannelOpenIdMetadataUrl: metadata, toBotFromChannelTokenIssuer: ISSUER },
    });
    sign = async (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'local-key' })
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.kid === 'wrong' ? other.privateKey : pair.privateKey);
  });
  afterAll(async () => {
    await stack.close();
    await new Promise<void>((resolve) => keys.close(() => resolve()));
  });

  // A message not addressed to the bot: authenticated, then dropped, so no outbound call.
  const post = (authorization?: string) =>
    fetch(`${stack.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(channelMessage(stack.connector.serviceUrl, TEAM.alice, 'hello all')),
    });

  it('answers 401 to a request without a token', async () => {
    expect((await post()).status).toBe(401);
  });

  it('answers 401 to a token signed by another key, for another app, or expired', async () => {
    const serviceurl = stack.connector.serviceUrl;
    expect((await post(`Bearer ${await sign({ iss: ISSUER, aud: APP_ID, serviceurl }, { kid: 'wrong' })}`)).status).toBe(401);
    expect((await post(`Bearer ${await sign({ iss: ISSUER, aud: 'another-app', serviceurl })}`)).status).toBe(401);
    expect((await post(`Bearer ${await sign({ iss: 'https://evil.example', aud: APP_ID, serviceurl })}`)).status).toBe(401);
    expect((await post(`Bearer ${await sign({ iss: ISSUER, aud: APP_ID, serviceurl }, { expiresIn: '-10m' })}`)).status).toBe(401);
    expect((await post('Bearer not-a-jwt')).status).toBe(401);
  });

  it('logs each refused request as a warning with its code, nothing of the token', async () => {
    const logged = stack.logger.lines.length;
    const token = await sign({ iss: ISSUER, aud: 'another-app', serviceurl: stack.connector.serviceUrl });
    expect((await post(`Bearer ${token}`)).status).toBe(401);
    const lines = stack.logger.lines.slice(logged);
    expect(lines).toEqual([
      { level: 'warn', fields: { code: 'teamsUnauthorized', err: expect.stringMatching(/^\w+/) }, message: 'activity not authenticated' },
    ]);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[1]!.slice(0, 20));
  });

  it('accepts a token the channel signed for this app', async () => {
    const token = await sign({ iss: ISSUER, aud: APP_ID, serviceurl: stack.connector.serviceUrl });
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(stack.connector.calls).toEqual([]);
  });
});

describe('Teams endpoint whose channel keys cannot be fetched', () => {
  let stack: TeamsStack;
  // Microsoft's own metadata URL, out of reach from here: the failure is a DNS or network error.
  beforeAll(async () => {
    stack = await startTeamsStack({ teams: { appId: APP_ID, appPassword: 'local-secret' } });
  });
  afterAll(() => stack.close());

  it('answers a forged token 401 with a body that says nothing of the cause', async () => {
    const forged = `Bearer ${await new SignJWT({ iss: ISSUER, aud: APP_ID }).setProtectedHeader({ alg: 'HS256', kid: 'x' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('forged-secret-forged-secret-32by'))}`;
    const response = await fetch(`${stack.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: forged },
      body: JSON.stringify(channelMessage(stack.connector.serviceUrl, TEAM.alice, 'hello all')),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized', message: 'The request is not authenticated.' });
  }, 30_000);
});

const teams = (appId: string | undefined) => ({ appId, appPassword: undefined, appTenantId: undefined, appType: 'MultiTenant' as const });

describe('Teams authentication, the clients a turn replies with', () => {
  // Two regions' Bot Connectors: Teams serves tenants from regional service URLs.
  let emea: FakeBotConnector;
  let americas: FakeBotConnector;
  beforeAll(async () => {
    [emea, americas] = await Promise.all([startFakeBotConnector(), startFakeBotConnector()]);
  });
  afterAll(async () => {
    await Promise.all([emea.close(), americas.close()]);
  });
  const auth = createAuthentication({ nodeEnv: 'test', teams: teams(undefined) });
  const authenticate = (serviceUrl: string) =>
    auth.authenticateRequest(channelMessage(serviceUrl, TEAM.alice, 'hello all') as unknown as Activity, '');
  /** The Bot Connector client botbuilder gives the turn of a message that came from `serviceUrl`. */
  const turnClient = async (serviceUrl: string) => {
    const result = await authenticate(serviceUrl);
    return result.connectorFactory!.create(serviceUrl, result.audience);
  };

  it('builds one client per service URL, which every turn from there replies with', async () => {
    const first = await turnClient(emea.serviceUrl);
    expect(await turnClient(emea.serviceUrl)).toBe(first);
    const other = await turnClient(americas.serviceUrl);
    expect(await turnClient(americas.serviceUrl)).toBe(other);
    await first.conversations.sendToConversation(CHANNEL, { type: 'message', text: 'to Europe' });
    await other.conversations.sendToConversation(CHANNEL, { type: 'message', text: 'to the Americas' });
    expect(emea.calls.map((c) => c.body.text)).toEqual(['to Europe']);
    expect(americas.calls.map((c) => c.body.text)).toEqual(['to the Americas']);
  });

  it('keeps one user token client for the app', async () => {
    const { claimsIdentity } = await authenticate(emea.serviceUrl);
    expect(await auth.createUserTokenClient(claimsIdentity)).toBe(await auth.createUserTokenClient(claimsIdentity));
  });
});

describe('Teams adapter start-up', () => {
  const store = {} as Store;

  it('refuses to start in production without an app id, saying what to set', () => {
    expect(() => createTeamsAdapter({ config: { nodeEnv: 'production', teams: teams(undefined) }, store, logger: silentLogger() })).toThrow(
      TeamsStartError,
    );
    expect(() => createTeamsAdapter({ config: { nodeEnv: 'production', teams: teams(undefined) }, store, logger: silentLogger() })).toThrow(
      /MICROSOFT_APP_ID/,
    );
  });

  it('warns loudly when its endpoint runs unauthenticated for local trials, and only then', () => {
    const logger = silentLogger();
    const adapter = createTeamsAdapter({ config: { nodeEnv: 'development', teams: teams(undefined) }, store, logger });
    // The reminder thread's adapter only sends: nothing to warn of.
    expect(logger.lines).toEqual([]);
    adapter.endpoint({} as CodevService, 1024);
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'warn', fields: { code: 'teamsUnauthenticated' } })]);
    expect(logger.lines[0]!.message).toMatch(/WITHOUT AUTHENTICATION/);
  });
});
