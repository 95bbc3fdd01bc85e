// The baseline for Teams: a bare botbuilder bot (CloudAdapter, unauthenticated) that answers
// the same channel message with a text reply, and the same card button with a card and an
// update of the channel's card.
import express from 'express';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type AdaptiveCardInvokeResponse,
  type TurnContext,
} from 'botbuilder';

const port = Number(process.env.PORT ?? 3978);

class BareBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity('Séance en cours : étape 3, contrat.');
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Contrat accepté' }] };
    // As the service does, the card everyone sees in the channel is updated too: the same
    // Bot Connector call, so that the ratio prices the service's own work.
    const cardId = context.activity.replyToId;
    if (cardId) {
      await context.updateActivity({
        type: 'message',
        id: cardId,
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      });
    }
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new BareBot();
const server = express();
server.use(express.json({ limit: '1mb' }));
server.post('/api/messages', (req, res) => {
  void adapter.process(req, res, (context) => bot.run(context));
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
