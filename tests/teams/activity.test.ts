import { describe, expect, it } from 'vitest';
import { activitySchema, baseConversationId, commandText, conversationOf, requesterOf } from '../../src/adapters/teams/activity.js';
import { channelMessage, CHANNEL, mentionBot, personalMessage, TEAM, TENANT } from './fixtures.js';

const URL = 'https://smba.trafficmanager.net/emea/';
const parse = (raw: object) => ({ raw, activity: activitySchema.parse(raw) });
const read = (raw: object) => {
  const { activity } = parse(raw);
  return commandText(raw, activity);
};

describe('reading a Teams message', () => {
  it('strips the bot mention and keeps the other people mentioned, for add and remove', () => {
    expect(read(mentionBot(URL, TEAM.animateur, 'ajouter', [TEAM.alice, TEAM.bruno]))).toEqual({
      text: 'ajouter',
      mentioned: [
        { userId: TEAM.alice.id, displayName: TEAM.alice.name },
        { userId: TEAM.bruno.id, displayName: TEAM.bruno.name },
      ],
    });
  });

  it('reads `/codev <verb>` typed in the channel, even wrapped in HTML', () => {
    expect(read(channelMessage(URL, TEAM.alice, '<p>/codev&nbsp;suivant</p>'))?.text).toBe('suivant');
    expect(read(channelMessage(URL, TEAM.alice, '/CODEV aide'))?.text).toBe('aide');
  });

  it('leaves every other channel message unread', () => {
    expect(read(channelMessage(URL, TEAM.alice, 'On se retrouve à 14 h ?'))).toBeUndefined();
    expect(read(channelMessage(URL, TEAM.alice, '/codevelopment n’est pas une commande'))).toBeUndefined();
    expect(read(channelMessage(URL, TEAM.alice, 'Bonjour <at>Bruno Petit</at>', [TEAM.bruno]))).toBeUndefined();
  });

  it('takes any text in the 1:1 chat with the bot as a command', () => {
    expect(read(personalMessage(URL, TEAM.alice, 'a:1on1', 'sujet'))?.text).toBe('sujet');
  });

  it('names the channel without the thread suffix, with its tenant, and the person who asked', () => {
    const { activity } = parse(mentionBot(URL, TEAM.chloe, 'état'));
    expect(activity.conversation.id).toContain(';messageid=');
    expect(conversationOf(activity)).toEqual({ platform: 'teams', tenantId: TENANT, channelId: CHANNEL });
    expect(requesterOf(activity)).toMatchObject({ userId: TEAM.chloe.id, displayName: TEAM.chloe.name, locale: 'fr' });
    expect(baseConversationId('19:x@thread.tacv2;messageid=1')).toBe('19:x@thread.tacv2');
  });
});
