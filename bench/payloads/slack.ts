import { createHmac, randomBytes } from 'node:crypto';

/** A request as the load generators send it. */
export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SlackTarget {
  teamId: string;
  channelId: string;
  userId: string;
}

/** Signs a body as Slack does: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"). */
export function signSlack(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

const id = (): string => randomBytes(6).toString('hex');

/** `/codev TEXT` as Slack posts a slash command, with a fresh trigger_id each time. */
export function slashCommand(secret: string, target: SlackTarget, text: string, responseBase: string): BenchRequest {
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: target.teamId,
    team_domain: 'bench',
    channel_id: target.channelId,
    channel_name: 'codev',
    user_id: target.userId,
    user_name: target.userId.toLowerCase(),
    command: '/codev',
    text,
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: `${responseBase}commands/${target.teamId}/${id()}`,
    trigger_id: `${Date.now()}.${id()}`,
  }).toString();
  return { method: 'POST', path: '/slack/events', headers: signSlack(secret, body), body };
}

/** A click on a Block Kit button of a message the bot posted (interactivity payload). */
export function blockAction(
  secret: string,
  target: SlackTarget,
  button: { actionId: string; value: string; blockId?: string },
  messageTs: string,
  responseBase: string,
): BenchRequest {
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  const payload = {
    type: 'block_actions',
    user: { id: target.userId, username: target.userId.toLowerCase(), name: target.userId.toLowerCase(), team_id: target.teamId },
    api_app_id: 'A0BENCH',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: target.channelId, is_ephemeral: false },
    trigger_id: `${Date.now()}.${id()}`,
    team: { id: target.teamId, domain: 'bench' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: target.channelId, name: 'codev' },
    message: { type: 'message', ts: messageTs, text: 'Codév', user: 'U0BOT', bot_id: 'B0BOT', blocks: [] },
    state: { values: {} },
    response_url: `${responseBase}actions/${target.teamId}/${id()}`,
    actions: [
      {
        action_id: button.actionId,
        block_id: button.blockId ?? 'actions',
        text: { type: 'plain_text', text: 'OK', emoji: true },
        value: button.value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return { method: 'POST', path: '/slack/events', headers: signSlack(secret, body), body };
}
