import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { actionData } from '../../src/cards/payload.js';
import type { ConversationKey, Group } from '../../src/engine/types.js';
import { CHANNEL_ID, PEOPLE, SIGNING_SECRET, TEAM_ID } from '../slack/fixtures.js';
import { interactionBody, post, signedRequest } from '../slack/signed-client.js';
import { cardAction, TEAM, type Person } from '../teams/fixtures.js';
import { FORGOTTEN } from '../../src/engine/index.js';
import { atClarification, BOTH_SIDES, PUBLIC_URL, postJson, startTrustApp, TEAMS_CHANNEL, type Driver, type TrustApp } from '../support/app.js';

// Authorization and idempotency over real HTTP on both platforms, one server for both, each
// with a group at the clarification step: refusals by role, ids from the other group (even
// the other platform's) in card data, redelivered and double-clicked actions, and export and
// forget as a person reaches them: a command, a private answer, a link or a confirm button.

const [TEAMS_SIDE, SLACK_SIDE] = BOTH_SIDES;
const TEAMS = TEAMS_SIDE.conversation;
const SLACK = SLACK_SIDE.conversation;
const START = new Date('2027-01-14T13:00:00Z');
const refusal = (code: string) => t('fr', `refusal.${code}`).split('{')[0]!.slice(0, 30);

describe('authorization and idempotency over HTTP', () => {
  let trust: TrustApp;
  let teams: Driver;
  let slack: Driver;
  let teamsGroup: Group;
  let slackGroup: Group;
  const teamsPeople = new Map(Object.values(TEAM).map((p) => [p.id, p]));
  const person = (id: string) => teamsPeople.get(id)!;

  const load = async (conversation: ConversationKey) => (await trust.app.store.findGroupByConversation(conversation))!.group;
  const meetingOf = (group: Group) => group.meetings[0]!;
  const consultantOf = (group: Group) => group.members.find((m) => m.userId !== meetingOf(group).clientId)!.userId;
  const run = (group: Group) => group.runs[meetingOf(group).id]!;

  beforeAll(async () => {
    trust = await startTrustApp({ now: START });
    teams = TEAMS_SIDE.driver(trust);
    slack = SLACK_SIDE.driver(trust);
    teamsGroup = await atClarification(trust, teams, TEAMS_SIDE, START);
    slackGroup = await atClarification(trust, slack, SLACK_SIDE, START);
    expect(run(teamsGroup).step).toBe(2);
    expect(run(slackGroup).step).toBe(2);
  });
  afterAll(() => trust.close());

  /** An Action.Execute click on Teams; returns the invoke response's card as text. */
  async function teamsClick(
    from: Person,
    data: object,
    where = { conversationId: TEAMS_CHANNEL, replyToId: '1740000000001' },
    id?: string,
  ): Promise<string> {
    const activity = cardAction(trust.connector.serviceUrl, from, where, { verb: 'x', data: data as Record<string, unknown> });
    const answer = await postJson(`${trust.base}/api/messages`, id ? { ...activity, id } : activity);
    expect(answer.status).toBe(200);
    return answer.text;
  }

  describe('authorization', () => {
    it('Teams: a consultant’s `next` and `end` are refused to them, the meeting stays', async () => {
      const consultant = person(consultantOf(teamsGroup));
      for (const c of [{ type: 'next', from: 2 }, { type: 'end' }] as const) {
        expect(await teamsClick(consultant, actionData(teamsGroup.id, c, meetingOf(teamsGroup).id))).toContain(refusal('notAnimateur'));
      }
      expect(await load(TEAMS)).toEqual(teamsGroup);
    });

    it('Teams: someone in another channel, or in a 1:1 chat, with this group’s id in the card data is refused', async () => {
      const stranger: Person = { id: '29:1999999-teams-user', name: 'Inconnu', aadObjectId: '00000000-0000-0000-0000-000000000099' };
      for (const where of [
        { conversationId: '19:another-team@thread.tacv2', replyToId: '1' },
        { conversationId: 'a:1stranger-chat', replyToId: '1', type: 'personal' as const },
      ]) {
        const answer = await teamsClick(stranger, actionData(teamsGroup.id, { type: 'end' }, meetingOf(teamsGroup).id), where);
        expect(answer).toContain(refusal('noGroup'));
        // Nothing of the group comes back with the refusal: not even who is in it.
        for (const member of [TEAM.alice, TEAM.bruno, TEAM.chloe]) expect(answer).not.toContain(member.name);
      }
      expect(await load(TEAMS)).toEqual(teamsGroup);
    });

    it('Slack: the Slack group’s animateur with the Teams group’s id, by button and by modal, is refused', async () => {
      const before = trust.slack.calls.length;
      await slack.act(PEOPLE[0]!.id, { type: 'end' }, teamsGroup.id, meetingOf(teamsGroup).id);
      await expect(
        slack.act(PEOPLE[1]!.id, { type: 'askQuestion' }, teamsGroup.id, meetingOf(teamsGroup).id, { questionText: 'détournée ?' }),
      ).rejects.toThrow('slack modal refused');
      expect(JSON.stringify(trust.slack.calls.slice(before))).toContain(refusal('noGroup'));
      expect(await load(TEAMS)).toEqual(teamsGroup);
    });

    it('Slack: a consultant’s `/codev next` is refused to them alone', async () => {
      const before = trust.slack.calls.length;
      await slack.command(consultantOf(slackGroup), 'suivant');
      const calls = trust.slack.calls.slice(before);
      expect(calls.map((c) => c.method)).toEqual(['response_url']);
      expect(calls[0]!.args.response_type).toBe('ephemeral');
      expect(JSON.stringify(calls[0]!.args)).toContain(refusal('notAnimateur'));
      expect(await load(SLACK)).toEqual(slackGroup);
    });
  });

  describe('idempotency', () => {
    it('Teams: a card action redelivered with the same activity id is applied once', async () => {
      const consultant = person(consultantOf(teamsGroup));
      const data = { ...actionData(teamsGroup.id, { type: 'askQuestion' }, meetingOf(teamsGroup).id), questionText: 'Une seule fois ?' };
      for (let i = 0; i < 3; i += 1) await teamsClick(consultant, data, undefined, 'f:redelivered-1');
      expect(run(await load(TEAMS)).questions.map((q) => q.text)).toEqual(['Une seule fois ?']);
    });

    it('Teams: a form sent twice (two clicks, two activities) adds its question once', async () => {
      const consultant = person(consultantOf(teamsGroup));
      const data = { ...actionData(teamsGroup.id, { type: 'askQuestion' }, meetingOf(teamsGroup).id), questionText: 'Deux clics ?' };
      await Promise.all([teamsClick(consultant, data), teamsClick(consultant, data)]);
      expect(run(await load(TEAMS)).questions.filter((q) => q.text === 'Deux clics ?')).toHaveLength(1);
    });

    it('Teams and Slack: a double click on `next` moves one step', async () => {
      const data = actionData(teamsGroup.id, { type: 'next', from: 2 }, meetingOf(teamsGroup).id);
      await Promise.all([teamsClick(TEAM.animateur, data), teamsClick(TEAM.animateur, data)]);
      expect(run(await load(TEAMS)).step).toBe(3);
      const slackData = actionData(slackGroup.id, { type: 'next', from: 2 }, meetingOf(slackGroup).id);
      const click = (n: number) =>
        post(
          `${trust.base}/slack/events`,
          signedRequest(
            SIGNING_SECRET,
            interactionBody({
              type: 'block_actions',
              user: { id: PEOPLE[0]!.id, username: 'claire', name: 'claire', team_id: TEAM_ID },
              api_app_id: 'A0CODEV',
              container: { type: 'message', message_ts: '1700000000.000100', channel_id: CHANNEL_ID, is_ephemeral: false },
              trigger_id: `${n}.dbl.trust`,
              team: { id: TEAM_ID, domain: 'codev-test' },
              channel: { id: CHANNEL_ID, name: 'codev' },
              state: { values: {} },
              response_url: trust.slack.responseUrl(`dbl-${n}`),
              actions: [
                {
                  type: 'button',
                  action_id: 'codev.execute.next.1',
                  block_id: 'b',
                  value: JSON.stringify(slackData),
                  action_ts: `${1700000000 + n}.0001`,
                },
              ],
            }),
          ),
        );
      const answers = await Promise.all([click(1), click(2)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      await expect.poll(async () => run(await load(SLACK)).step).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(run(await load(SLACK)).step).toBe(3);
    });
  });

  describe('personal data through the platform', () => {
    it('Slack: `/codev export` answers privately with a link that downloads the person’s data once', async () => {
      const consultant = consultantOf(slackGroup);
      const before = trust.slack.calls.length;
      await slack.command(consultant, 'exporter');
      const calls = trust.slack.calls.slice(before);
      expect(calls.map((c) => c.method)).toEqual(['response_url']);
      expect(calls[0]!.args.response_type).toBe('ephemeral');
      const path = JSON.stringify(calls[0]!.args).match(/https:\/\/codev\.example(\/export\/[A-Za-z0-9_-]{43}\.json)/)?.[1];
      expect(path, PUBLIC_URL).toBeDefined();
      const data = (await (await fetch(`${trust.base}${path}`)).json()) as { userId: string; groups: { groupId: string }[] };
      expect(data.userId).toBe(consultant);
      expect(data.groups.map((g) => g.groupId)).toEqual([slackGroup.id]);
      expect((await fetch(`${trust.base}${path}`)).status).toBe(404);
    });

    it('Slack: `/codev oublier` asks for confirmation; the confirm button erases what the person wrote', async () => {
      const consultant = consultantOf(slackGroup);
      // Back to the clarification step (the double click above moved on), a while later.
      trust.setNow(new Date(START.getTime() + 10 * 60_000));
      await slack.command(PEOPLE[0]!.id, 'précédent');
      await slack.act(consultant, { type: 'askQuestion' }, slackGroup.id, meetingOf(slackGroup).id, { questionText: 'À oublier ?' });
      const before = trust.slack.calls.length;
      await slack.command(consultant, 'oublier');
      expect(JSON.stringify(trust.slack.calls.slice(before))).toContain('\\"type\\":\\"forget\\"');
      expect(run(await load(SLACK)).questions.map((q) => q.text)).toContain('À oublier ?');
      await slack.act(consultant, { type: 'forget' }, 'personal');
      const after = await load(SLACK);
      expect(JSON.stringify(after.runs)).not.toContain('À oublier ?');
      expect(run(after).questions.map((q) => q.text)).toContain(FORGOTTEN);
      expect((await trust.app.store.listAudit(slackGroup.id)).map((a) => a.action)).toEqual(['forget']);
    });
  });
});
