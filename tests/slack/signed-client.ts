import { createHmac } from 'node:crypto';

/** What Slack sends with each request, as https://api.slack.com/authentication/verifying-requests-from-slack says. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function sign(secret: string, body: string, timestampSeconds: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
}

export function signedRequest(secret: string, body: string, options: { at?: Date; retryNum?: number } = {}): SignedRequest {
  const timestamp = Math.floor((options.at ?? new Date()).getTime() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': sign(secret, body, timestamp),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return { body, headers };
}

/** A slash command body, form-encoded the way Slack posts it. */
export function slashCommandBody(fields: {
  teamId: string;
  channelId: string;
  userId: string;
  userName: string;
  text: string;
  triggerId: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.teamId,
    team_domain: 'codev-test',
    channel_id: fields.channelId,
    channel_name: 'codev-vaud-nord',
    user_id: fields.userId,
    user_name: fields.userName,
    command: '/codev',
    text: fields.text,
    api_app_id: 'A0CODEV',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  }).toString();
}

/** Interactivity payloads arrive as one form field, `payload`, holding JSON. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export async function post(url: string, request: SignedRequest): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}
