import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/cards/i18n.js';
import { liveSlot } from '../../src/app/channel-effects.js';
import { actionData } from '../../src/cards/payload.js';
import { TEXT_MAX, TITLE_MAX } from '../../src/engine/index.js';
import { CHANNEL_ID, SIGNING_SECRET, TEAM_ID } from '../slack/fixtures.js';
import { interactionBody, post, signedRequest, slashCommandBody } from '../slack/signed-client.js';
import { cardAction, TEAM } from '../teams/fixtures.js';
import { atClarification, BOTH_SIDES, postJson, startTrustApp, TEAMS_CHANNEL, type TrustApp } from '../support/app.js';

// What an attacker (or a broken proxy) sends: bodies over the limit, fields over theirs,
// payloads of the wrong shape, garbage by the hundred. Each gets a clear answer, and the
// server keeps answering.

const [TEAMS, SLACK] = BOTH_SIDES;
const LIMIT = 16_384;
const tooLong = t('fr', 'refusal.textTooLong').split('{')[0]!;

describe('hostile input', () => {
  let trust: TrustApp;
  let groupId: string;
  /** A consultant of the running meeting, at the clarification step. */
  let consultant: (typeof TEAM)[keyof typeof TEAM];
  /** The channel's step card, where the consultant clicks. */
  let stepCard: string;
  beforeAll(async () => {
    trust = await startTrustApp({ now: new Date('2027-01-04T09:00:00Z'), maxBodyBytes: LIMIT });
    const group = await atClarification(trust, TEAMS.driver(trust), TEAMS, new Date('2027-01-04T09:00:00Z'));
    groupId = group.id;
    consultant = [TEAM.alice, TEAM.bruno].find((p) => p.id !== group.meetings[0]!.clientId)!;
    stepCard = (await trust.app.store.liveCard(liveSlot(group, { name: 'step', meetingId: group.meetings[0]!.id })))!;
  });
  afterAll(() => trust.close());

  /** A signed `/codev <text>` from a member of the Slack channel; `reply` names its response URL. */
  const slashCommand = (text: string, reply: string) =>
    post(
      `${trust.base}/slack/events`,
      signedRequest(
        SIGNING_SECRET,
        slashCommandBody({
          teamId: TEAM_ID,
          channelId: CHANNEL_ID,
          userId: 'U0ANNE',
          userName: 'anne',
          text,
          triggerId: `trigger-${reply}`,
          responseUrl: trust.slack.responseUrl(reply),
        }),
      ),
    );

  const teamsClick = (from: (typeof TEAM)[keyof typeof TEAM], type: string, inputs: Record<string, string>) =>
    postJson(
      `${trust.base}/api/messages`,
      cardAction(
        trust.connector.serviceUrl,
        from,
        { conversationId: TEAMS_CHANNEL, replyToId: stepCard },
        { verb: type, data: { ...actionData(groupId, { type } as never, 'm1'), ...inputs } },
      ),
    );

  it('answers 413 to a body over MAX_BODY_BYTES on both platform endpoints, echoing nothing', async () => {
    const big = 'x'.repeat(LIMIT + 1);
    const teams = await postJson(`${trust.base}/api/messages`, { type: 'message', text: big });
    expect(teams.status).toBe(413);
    expect(teams.text.length).toBeLessThan(200);
    const slack = await slashCommand(big, 'big');
    expect(slack.status).toBe(413);
    expect(slack.text.length).toBeLessThan(200);
  });

  it('refuses a text over its limit with a message saying the limit, on Teams and in a Slack modal', async () => {
    const before = JSON.stringify((await trust.app.store.getGroup(groupId))!.group.runs);
    const question = await teamsClick(consultant, 'askQuestion', { questionText: 'q'.repeat(TEXT_MAX + 1) });
    expect(question.status).toBe(200);
    expect(question.text).toContain(tooLong);
    expect(question.text).toContain(JSON.stringify(t('fr', 'refusal.textTooLong', { max: TEXT_MAX })));
    expect(JSON.stringify((await trust.app.store.getGroup(groupId))!.group.runs)).toBe(before);
    // Exactly at the limit is fine.
    expect((await teamsClick(consultant, 'askQuestion', { questionText: 'q'.repeat(TEXT_MAX) })).text).not.toContain(tooLong);

    // Slack: a group with a title over TITLE_MAX is refused inside the set-up modal.
    const slack = SLACK.driver(trust);
    await expect(
      slack.act('U0ANIM', { type: 'setup', conversation: { platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID } }, 'new', undefined, {
        setupName: 'n'.repeat(TITLE_MAX + 1),
        setupDate: '2027-01-14',
        setupTime: '14:00',
        setupCadence: '6',
        setupDuration: '120',
        setupPlace: 'Salle',
        setupTimeZone: 'Europe/Paris',
        setupLocale: 'fr',
      }),
    ).rejects.toThrow('slack modal refused setup');
    expect(await trust.app.store.findGroupByConversation({ platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID })).toBeUndefined();
  });

  it('answers malformed payloads with 400 (Teams invoke: a 400 invoke response), unsigned Slack requests with 401', async () => {
    const broken = await fetch(`${trust.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(broken.status).toBe(400);
    const badInvoke = await postJson(`${trust.base}/api/messages`, {
      ...cardAction(trust.connector.serviceUrl, TEAM.alice, { conversationId: TEAMS_CHANNEL, replyToId: '1' }, { verb: 'next', data: {} }),
      value: 'nope',
    });
    expect(badInvoke.status).toBe(200);
    expect(JSON.parse(badInvoke.text)).toMatchObject({ statusCode: 400 });
    const forged = await postJson(
      `${trust.base}/api/messages`,
      cardAction(
        trust.connector.serviceUrl,
        TEAM.alice,
        { conversationId: TEAMS_CHANNEL, replyToId: '1' },
        { verb: 'next', data: { codev: { v: 1, g: groupId, c: { type: 'purge' } } } },
      ),
    );
    expect(JSON.parse(forged.text)).toMatchObject({ statusCode: 400 });
    const unsigned = await fetch(`${trust.base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=/codev&text=aide',
    });
    expect(unsigned.status).toBe(401);
    const garbage = await post(
      `${trust.base}/slack/events`,
      signedRequest(SIGNING_SECRET, interactionBody({ type: 'block_actions', actions: 'nope' })),
    );
    expect(garbage.status).toBeLessThan(500);
  });

  it('survives a barrage of garbage: no 5xx, /healthz answers, and a real command still works', async () => {
    const bodies = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: 7, numRuns: 120 });
    const shapes: { path: string; type: string; body: string }[] = [];
    for (const [i, value] of bodies.entries()) {
      const path = i % 2 === 0 ? '/api/messages' : '/slack/events';
      shapes.push({ path, type: 'application/json', body: JSON.stringify(value) });
      shapes.push({
        path,
        type: 'application/json',
        body: JSON.stringify({
          type: i % 3 ? 'invoke' : 'message',
          name: 'adaptiveCard/action',
          value,
          from: value,
          conversation: value,
          channelData: value,
        }),
      });
    }
    shapes.push(
      { path: '/api/messages', type: 'application/json', body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
      { path: '/api/messages', type: 'text/plain', body: '\u0000\u0001\u0002' },
      { path: '/api/messages', type: 'application/json', body: '['.repeat(5_000) },
      { path: '/slack/events', type: 'application/x-www-form-urlencoded', body: 'payload=%7B%22type%22%3A' },
      { path: '/slack/events', type: 'application/json', body: '{"type":"url_verification","challenge":"x"}' },
    );
    const answers = await Promise.all(
      shapes.map((s) => fetch(`${trust.base}${s.path}`, { method: 'POST', headers: { 'content-type': s.type }, body: s.body }).then((r) => r.status)),
    );
    expect(answers.filter((status) => status >= 500)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${trust.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${trust.base}/readyz`)).status).toBe(200);
    const before = trust.slack.calls.length;
    const help = await slashCommand('aide', 'after-barrage');
    expect(help.status).toBe(200);
    await expect.poll(() => trust.slack.calls.length > before).toBe(true);
  });
});
