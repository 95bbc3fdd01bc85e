// The baseline for Slack: a bare Bolt app that acknowledges the same slash command and
// button as the service, with the same signing secret, its Web API pointed at the fake.
import { App, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT ?? 3978);
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  token: process.env.SLACK_BOT_TOKEN ?? '',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/' },
  logLevel: LogLevel.ERROR,
});

app.command('/codev', async ({ ack }) => {
  await ack({ response_type: 'ephemeral', text: 'Séance en cours : étape 3, contrat.' });
});

// A button in a running meeting: acknowledge, then update the card in place, as the service does.
app.action(/.*/, async ({ ack, body, client }) => {
  await ack();
  const channel = 'channel' in body ? body.channel?.id : undefined;
  const ts = 'message' in body ? body.message?.ts : undefined;
  if (channel && ts) {
    await client.chat.update({ channel, ts, text: 'Contrat accepté', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Contrat accepté' } }] });
  }
});

await app.start(port);
process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
