import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Config } from '../../server/config.js';
import type { Logger } from '../../app/ports.js';

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
 * production, and said loudly anywhere else.
 */
export function createAuthentication(config: TeamsConfig, logger: Logger, overrides: ChannelAuthOverrides = {}): BotFrameworkAuthentication {
  const { appId, appPassword, appTenantId, appType } = config.teams;
  if (!appId) {
    if (config.nodeEnv === 'production') throw new TeamsStartError();
    logger.warn(
      { code: 'teamsUnauthenticated' },
      '!!! TEAMS ENDPOINT WITHOUT AUTHENTICATION: MICROSOFT_APP_ID is not set, so POST /api/messages accepts any caller. For local trials only. !!!',
    );
  }
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
  return new ConfigurationBotFrameworkAuthentication(options, credentials);
}
