import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../server/config.js';

export type TeamsConfig = Pick<Config, 'nodeEnv' | 'teams'>;

/**
 * Where botbuilder looks for the channel's signing keys and which issuer it expects. Only
 * tests change them, to sign tokens with a local key; production keeps Microsoft's.
 */
export interface ChannelAuthOverrides {
  toBotFromChannelOpenIdMetadataUrl?: string;
  toBotFromChannelTokenIssuer?: string;
}

export class TeamsStartError extends Error {
  override readonly name = 'TeamsStartError';
  readonly code = 'teamsNoAppIdInProduction';
  constructor() {
    super(
      'MICROSOFT_APP_ID is not set while NODE_ENV=production: the Teams endpoint would accept ' +
        'unauthenticated requests. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or MICROSOFT_APP_TYPE=UserAssignedMSI).',
    );
  }
}

/**
 * Bot Framework authentication from the environment's credentials. Without an app id every
 * request is accepted, which is only for local trials (the Agents Playground): refused in
 * production; the endpoint says so loudly anywhere else (see createTeamsAdapter).
 */
export function createAuthentication(config: TeamsConfig, overrides: ChannelAuthOverrides = {}): BotFrameworkAuthentication {
  const { appId, appPassword, appTenantId, appType } = config.teams;
  if (!appId && config.nodeEnv === 'production') throw new TeamsStartError();
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: appId ?? '',
    MicrosoftAppPassword: appPassword ?? '',
    MicrosoftAppTenantId: appTenantId ?? '',
    MicrosoftAppType: appType,
  });
  const options: Record<string, string> = {};
  if (appId) options.MicrosoftAppId = appId;
  if (appTenantId) options.MicrosoftAppTenantId = appTenantId;
  if (overrides.toBotFromChannelOpenIdMetadataUrl) options.ToBotFromChannelOpenIdMetadataUrl = overrides.toBotFromChannelOpenIdMetadataUrl;
  if (overrides.toBotFromChannelTokenIssuer) options.ToBotFromChannelTokenIssuer = overrides.toBotFromChannelTokenIssuer;
  return new KeptClients(new ConfigurationBotFrameworkAuthentication(options, credentials));
}

/**
 * How many Bot Connector clients are kept: one per app id, service URL and audience, and
 * Teams serves a tenant from one of a handful of regional service URLs.
 */
const KEPT_CLIENTS = 100;

/**
 * The channel's authentication, keeping the clients it builds. botbuilder builds a Bot
 * Connector client and a user token client for every inbound activity, each a pipeline of
 * a dozen policies (some 7 % of the CPU a click costs), identical from one turn to the
 * next for one app and service URL; their credentials fetch and renew their own tokens,
 * so one client serves every turn and every proactive send. A client whose building
 * failed is not kept: the next turn builds it again.
 */
class KeptClients extends BotFrameworkAuthentication {
  readonly #connectors = new LRUCache<string, Promise<ConnectorClient>>({ max: KEPT_CLIENTS });
  readonly #userTokens = new LRUCache<string, Promise<UserTokenClient>>({ max: KEPT_CLIENTS });

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.#kept(result.claimsIdentity, result.connectorFactory) } : result;
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.#kept(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return keep(this.#userTokens, appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  #kept(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl, audience) =>
        keep(this.#connectors, `${appId}\n${serviceUrl}\n${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
    };
  }
}

/** The app id botbuilder builds a turn's clients for: the token's audience, or the emulator's app id claim. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? ''
  );
}

function keep<T extends object>(cache: LRUCache<string, Promise<T>>, key: string, build: () => Promise<T>): Promise<T> {
  let kept = cache.get(key);
  if (!kept) {
    kept = build();
    kept.catch(() => cache.delete(key));
    cache.set(key, kept);
  }
  return kept;
}
