// The baseline for Slack: a bare Bolt app that acknowledges the same slash command (with
// the same answer) and button as the service, with the same signing secret, its Web API
// pointed at the fake.
import { App, LogLevel, type RespondArguments } from '@slack/bolt';

const port = Number(process.env.PORT ?? 3978);
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  token: process.env.SLACK_BOT_TOKEN ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/' },
  logLevel: LogLevel.ERROR,
});

/**
 * What the service shows a consultant for `/codev status` at the contract step, written out
 * by hand: the same blocks, the same size (about 2 KB of JSON), so that the ratio prices
 * finding and rendering the card, not sending it.
 */
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text, verbatim: true }] });
// The first Slack group's id in the service's seed (bench/groups.ts).
const GROUP_ID = '65a49ad3-831d-46c8-89bc-dae51ee16a7a';
const button = (n: number, text: string, stance: string) => ({
  type: 'button',
  action_id: `codev.execute.answerContract.${n}`,
  text: { type: 'plain_text', text },
  value: JSON.stringify({ codev: { v: 1, g: GROUP_ID, c: { type: 'answerContract', version: 1, stance }, m: 'm1' } }),
});
const STATUS = {
  response_type: 'ephemeral',
  text: 'Codév',
  blocks: [
    context('Étape 3 sur 6'),
    { type: 'header', text: { type: 'plain_text', text: 'Contrat' } },
    context('Séance 1 · dimanche 29 novembre 2026'),
    context('⏱ 0 min écoulées · 10 min recommandées'),
    section('*Vous êtes consultant.*\nApprouvez le contrat ou demandez à en discuter.'),
    section('*Le contrat (version 1)*'),
    section('Comment mieux accueillir les nouveaux collaborateurs ?'),
    { type: 'actions', elements: [{ ...button(0, "J'approuve", 'agree'), style: 'primary' }, button(1, 'Je veux en discuter', 'discuss')] },
    section('*Accord des consultants*'),
    ...[2, 3, 4, 5].map((n) => section(`⏳ Directeur 1.${n} · en attente`)),
    section("*Le passage à l'étape suivante attend l'accord de chaque consultant.*"),
  ],
};

app.command('/codev', async ({ ack }) => {
  await ack(STATUS as RespondArguments);
});

// A button in a running meeting: acknowledge, then update the card in place, as the service does.
app.action(/.*/, async ({ ack, body, client }) => {
  await ack();
  const channel = 'channel' in body ? body.channel?.id : undefined;
  const ts = 'message' in body ? body.message?.ts : undefined;
  if (channel && ts) {
    await client.chat.update({
      channel,
      ts,
      text: 'Contrat accepté',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Contrat accepté' } }],
    });
  }
});

await app.start(port);
process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
