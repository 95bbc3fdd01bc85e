import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import type { Group } from '../../src/engine/types.js';
import { opensForm, SlackPeople } from './driver.js';
import { seedGroup } from './seed.js';
import { startSlackStack, type SlackStack } from './stack.js';

let stack: SlackStack;
let people: SlackPeople;
let group: Group;

beforeAll(async () => {
  stack = await startSlackStack();
  people = new SlackPeople(stack);
  group = await seedGroup(stack.store);
});
afterAll(() => stack.close());

describe('Private messages in Slack', () => {
  it('lets the next client open the topic form from the reminder in their direct messages', async () => {
    const meeting = group.meetings[0];
    if (!meeting) throw new Error('no meeting planned');
    const client = meeting.clientId;
    const reminder = stack.presenter.reminder(
      group,
      {
        kind: 'prepareTopic',
        meetingId: meeting.id,
      },
      { locale: 'fr', now: new Date(), viewer: client },
    );
    await stack.chat.sendPrivate(group.conversation, client, reminder);
    const dm = people.findMessage(opensForm('topicForm'), `D${client}`);

    const opened = await people.click(client, dm, opensForm('topicForm'));
    expect(opened.map((c) => c.method)).toContain('views.open');
    const saved = await people.submit(client, people.lastModal(), {
      topicKind: 'projet',
      topicTitle: 'Ouvrir un accueil de jour',
      topicQuestion: 'Par où commencer ?',
    });
    expect(saved.body).toBeUndefined();
    const stored = await stack.store.getGroup(group.id);
    expect(stored?.group.topics[meeting.id]?.title).toBe('Ouvrir un accueil de jour');
    // Nothing of it reached the channel.
    expect(JSON.stringify(stack.fake.messagesIn(group.conversation.channelId))).not.toContain('accueil de jour');
  });

  it('does not open the client’s form for another member who clicks the same button', async () => {
    const dm = people.findMessage(opensForm('topicForm'), `D${group.meetings[0]?.clientId}`);
    const other = group.members.find((m) => m.userId !== group.meetings[0]?.clientId)?.userId as string;
    stack.fake.reset();
    await people.click(other, { ...dm, channel: `D${other}` }, opensForm('topicForm'));
    expect(stack.fake.callsOf('views.open')).toEqual([]);
    const answers = stack.fake.callsOf('response_url').map((c) => JSON.stringify(c.args.blocks));
    expect(answers.join()).not.toContain('accueil de jour');
    expect(answers.join()).toContain(JSON.stringify(t('fr', 'refusal.notClient')).slice(1, 30));
  });
});
