import { createSlackAdapter, type SlackAdapter } from '../adapters/slack/index.js';
import { createTeamsAdapter, type TeamsAdapter } from '../adapters/teams/index.js';
import type { ChatPort, Logger } from '../app/ports.js';
import type { Platform } from '../engine/types.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';

/**
 * Slack runs when its two secrets are set. Teams runs with an app id, or without one for
 * local trials; in production without an app id it runs only if Slack does not, and then
 * the Teams adapter refuses to start, saying why.
 */
export function createPlatforms(
  config: Config,
  store: Store,
  logger: Logger,
  clock: () => Date,
  sendIntervalMs?: number,
): { teams?: TeamsAdapter; slack?: SlackAdapter } {
  const { signingSecret, botToken, apiUrl } = config.slack;
  const pacing = sendIntervalMs === undefined ? {} : { sendIntervalMs };
  const slack =
    signingSecret && botToken ? createSlackAdapter({ config: { signingSecret, botToken, apiUrl, ...pacing }, store, logger, clock }) : undefined;
  const teamsWanted = config.teams.appId !== undefined || config.nodeEnv !== 'production' || slack === undefined;
  const teams = teamsWanted ? createTeamsAdapter({ config: { nodeEnv: config.nodeEnv, teams: config.teams }, store, logger }) : undefined;
  return { ...(teams ? { teams } : {}), ...(slack ? { slack } : {}) };
}

/** Each platform's chat port, for what the service sends on its own (reminders). */
export function platformChats(platforms: { teams?: TeamsAdapter; slack?: SlackAdapter }): Partial<Record<Platform, ChatPort>> {
  const chats: Partial<Record<Platform, ChatPort>> = {};
  if (platforms.teams) chats.teams = platforms.teams.chat;
  if (platforms.slack) chats.slack = platforms.slack.chat;
  return chats;
}
