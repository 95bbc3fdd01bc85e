// Activities shaped like the ones Teams sends (channel message with a bot mention, card
// action invoke, bot added to a team, 1:1 message), trimmed to realistic fields.

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CHANNEL = '19:c0d3v-general@thread.tacv2';
export const TEAM_ID = '19:c0d3v-team@thread.tacv2';
export const BOT = { id: '28:2f1c3c5e-1234-4bcd-9ef0-123456789abc', name: 'Codév' };

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

const person = (n: number, name: string): Person => ({
  id: `29:1${String(n).repeat(6)}-teams-user`,
  name,
  aadObjectId: `00000000-0000-0000-0000-00000000000${n}`,
});

export const TEAM = {
  animateur: person(1, 'Anne Animatrice'),
  alice: person(2, 'Alice Martin'),
  bruno: person(3, 'Bruno Petit'),
  chloe: person(4, 'Chloé Durand'),
  david: person(5, 'David Moreau'),
  emma: person(6, 'Emma Lefèvre'),
  farid: person(7, 'Farid Benali'),
};

let counter = 0;
const nextId = () => `17400000000${String((counter += 1)).padStart(2, '0')}`;

function base(serviceUrl: string, from: Person, conversationId: string, conversationType: 'channel' | 'personal' | 'groupChat') {
  return {
    id: nextId(),
    timestamp: '2027-01-04T09:00:00.000Z',
    localTimestamp: '2027-01-04T10:00:00.000+01:00',
    channelId: 'msteams',
    serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation:
      conversationType === 'personal'
        ? { conversationType, tenantId: TENANT, id: conversationId }
        : { isGroup: true, conversationType, tenantId: TENANT, id: conversationId },
    recipient: BOT,
    locale: 'fr-FR',
    localTimezone: 'Europe/Paris',
    entities: [{ locale: 'fr-FR', country: 'FR', platform: 'Web', timezone: 'Europe/Paris', type: 'clientInfo' }] as Record<string, unknown>[],
    channelData:
      conversationType === 'channel'
        ? { teamsChannelId: CHANNEL, teamsTeamId: TEAM_ID, channel: { id: CHANNEL }, team: { id: TEAM_ID }, tenant: { id: TENANT } }
        : { tenant: { id: TENANT } },
  };
}

const mention = (who: { id: string; name: string }) => ({ mentioned: { id: who.id, name: who.name }, text: `<at>${who.name}</at>`, type: 'mention' });

/** A new post in the channel (its own thread), as Teams delivers it with RSC. */
export function channelMessage(serviceUrl: string, from: Person, text: string, mentions: { id: string; name: string }[] = []) {
  const activity = base(serviceUrl, from, CHANNEL, 'channel');
  activity.conversation.id = `${CHANNEL};messageid=${activity.id}`;
  activity.entities.push(...mentions.map(mention));
  return { ...activity, type: 'message', text, textFormat: 'plain' };
}

/** `@Codév <words>` in the channel; other people named with `@` are mentioned too. */
export function mentionBot(serviceUrl: string, from: Person, words: string, others: Person[] = []) {
  const text = `<at>${BOT.name}</at> ${words}${others.map((o) => ` <at>${o.name}</at>`).join('')}`;
  return channelMessage(serviceUrl, from, text, [BOT, ...others]);
}

/** A message in the 1:1 chat with the bot. */
export function personalMessage(serviceUrl: string, from: Person, conversationId: string, text: string) {
  return { ...base(serviceUrl, from, conversationId, 'personal'), type: 'message', text, textFormat: 'plain' };
}

/** A click on an Action.Execute button (inputs merged into data), or an automatic refresh. */
export function cardAction(
  serviceUrl: string,
  from: Person,
  where: { conversationId: string; replyToId: string; type?: 'channel' | 'personal' },
  action: { verb: string; data: Record<string, unknown> },
  trigger: 'manual' | 'automatic' = 'manual',
) {
  const type = where.type ?? 'channel';
  const conversationId = type === 'channel' ? `${where.conversationId};messageid=${where.replyToId}` : where.conversationId;
  const activity = base(serviceUrl, from, conversationId, type);
  return {
    ...activity,
    id: `f:${activity.id}`,
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: where.replyToId,
    value: { action: { type: 'Action.Execute', id: '', verb: action.verb, data: action.data }, trigger },
  };
}

/** The bot installed in the team: Teams adds it to the General channel's conversation. */
export function botAddedToTeam(serviceUrl: string, from: Person) {
  const activity = base(serviceUrl, from, CHANNEL, 'channel');
  return {
    ...activity,
    id: `f:${activity.id}`,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    channelData: { ...activity.channelData, eventType: 'teamMemberAdded', team: { id: TEAM_ID, name: 'Codév EMS Nord' } },
  };
}
