import { randomUUID } from 'node:crypto';
import type { BenchRequest } from './slack.js';

export interface TeamsTarget {
  tenantId: string;
  teamId: string;
  /** The channel's thread id, e.g. "19:...@thread.tacv2". */
  channelId: string;
  /** The user id Teams puts in `from.id` ("29:…"). */
  userId: string;
  userName: string;
}

export const BOT_ID = '28:00000000-0000-0000-0000-00000000b07';
export const BOT_NAME = 'Codév';

function base(serviceUrl: string, target: TeamsTarget, messageId: string) {
  return {
    id: messageId,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    localTimezone: 'Europe/Paris',
    locale: 'fr-FR',
    serviceUrl,
    channelId: 'msteams',
    from: { id: target.userId, name: target.userName, aadObjectId: '00000000-0000-4000-9000-000000000001' },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: target.tenantId,
      id: `${target.channelId};messageid=${messageId}`,
    },
    recipient: { id: BOT_ID, name: BOT_NAME },
    channelData: {
      teamsChannelId: target.channelId,
      teamsTeamId: target.teamId,
      channel: { id: target.channelId },
      team: { id: target.teamId },
      tenant: { id: target.tenantId },
    },
  };
}

const json = (activity: object): BenchRequest => ({
  method: 'POST',
  path: '/api/messages',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(activity),
});

/** A channel message that @mentions the bot, as Teams sends it ("<at>Codév</at> status"). */
export function mentionMessage(serviceUrl: string, target: TeamsTarget, text: string): BenchRequest {
  const messageId = String(Date.now()) + String(Math.floor(Math.random() * 1000));
  const mention = `<at>${BOT_NAME}</at>`;
  return json({
    ...base(serviceUrl, target, messageId),
    type: 'message',
    textFormat: 'plain',
    text: `${mention} ${text}`,
    entities: [
      { type: 'mention', mentioned: { id: BOT_ID, name: BOT_NAME }, text: mention },
      { type: 'clientInfo', locale: 'fr-FR', country: 'FR', platform: 'Web', timezone: 'Europe/Paris' },
    ],
  });
}

/** A Universal Action (Action.Execute) from a card the bot posted: an `adaptiveCard/action` invoke. */
export function cardAction(
  serviceUrl: string,
  target: TeamsTarget,
  action: { verb: string; data: Record<string, unknown> },
  cardActivityId: string,
): BenchRequest {
  return json({
    ...base(serviceUrl, target, randomUUID()),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardActivityId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb: action.verb, data: action.data }, trigger: 'manual' },
  });
}
