import type { App } from '@slack/bolt';
import { intentFromText, type Intent } from '../../app/intents.js';
import type { Logger } from '../../app/ports.js';
import type { Reply } from '../../app/service.js';
import { parseCardAction } from '../../cards/actions.js';
import { PAYLOAD_KEY } from '../../cards/payload.js';
import { slackStateToInputs } from '../../cards/slack/index.js';
import { actionKey, commandKey, viewKey } from './keys.js';
import { mentionsIn } from './mentions.js';
import { blockActionsSchema, slashCommandSchema, viewSubmissionSchema } from './payloads.js';
import { formButton, MODAL_CALLBACK_ID, modalErrors, readModal } from './render.js';
import { deliver, openForm, replyTarget, type SlackContext } from './replies.js';

/**
 * How long a modal submission waits for the service before closing the modal anyway: a
 * refusal can then still be shown inside the modal, and Slack's 3 seconds are kept.
 */
const MODAL_ANSWER_BUDGET_MS = 1_500;

/**
 * Slash commands and buttons are acknowledged first (Bolt answers Slack at once, as
 * processBeforeResponse is off) and worked on after. A retried delivery carries the same
 * payload, hence the same idempotency key, and the service applies it once.
 */
export function registerListeners(app: App, ctx: SlackContext): void {
  app.command('/codev', async ({ ack, body, respond }) => {
    await ack();
    await guarded(ctx.logger, 'command', async () => {
      const command = slashCommandSchema.parse(body);
      const where = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id, name: command.user_name };
      const target = await replyTarget(ctx, where, { triggerId: command.trigger_id, respond });
      const mentioned = await Promise.all(
        mentionsIn(command.text, ctx.botUserId()).map(async ({ userId, name }) => ({
          userId,
          displayName: (await ctx.people.get(userId, name)).displayName,
        })),
      );
      const intent = intentFromText(command.text, mentioned);
      await deliver(ctx, target, await ctx.service.handle(target.requester, intent, commandKey(command)));
    });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, respond }) => {
    await ack();
    await guarded(ctx.logger, 'action', async () => {
      const payload = blockActionsSchema.parse(body);
      const action = payload.actions[0];
      // Selects and date pickers report every change; only buttons act.
      if (action?.type !== 'button' || action.value === undefined) return;
      const channelId = payload.channel?.id ?? payload.container.channel_id ?? readModal(payload.view?.private_metadata)?.channelId;
      if (!channelId) return ctx.logger.warn({ code: 'noChannel' }, 'slack action without a channel');
      const where = { teamId: payload.team?.id ?? payload.user.team_id ?? '', channelId, userId: payload.user.id, name: payload.user.name ?? '' };
      const target = await replyTarget(ctx, where, payload.response_url ? { triggerId: payload.trigger_id, respond } : { triggerId: payload.trigger_id });
      const data = parseJson(action.value);
      const form = formButton(action.action_id);
      if (form) return openForm(ctx, target, form, groupOf(data));
      const parsed = parseCardAction(data, slackStateToInputs(payload.state?.values ?? {}));
      if ('error' in parsed) return ctx.logger.warn({ code: 'invalidAction' }, 'slack action refused at the edge');
      const intent: Intent = { kind: 'command', command: parsed.command, groupId: parsed.groupId, ...meetingOf(parsed) };
      await deliver(ctx, target, await ctx.service.handle(target.requester, intent, actionKey(payload)));
    });
  });

  app.view({ type: 'view_submission', callback_id: MODAL_CALLBACK_ID }, async ({ ack, body }) => {
    const payload = viewSubmissionSchema.safeParse(body);
    const modal = payload.success ? readModal(payload.data.view.private_metadata) : undefined;
    const values = payload.success ? payload.data.view.state.values : {};
    const parsed = modal ? parseCardAction(modal.data, slackStateToInputs(values)) : undefined;
    if (!payload.success || !modal || !parsed || 'error' in parsed) {
      await ack();
      return ctx.logger.warn({ code: 'invalidView' }, 'slack view submission refused at the edge');
    }
    const { user, team } = payload.data;
    const where = { teamId: team?.id ?? user.team_id ?? '', channelId: modal.channelId, userId: user.id, name: user.name ?? '' };
    const work = (async () => {
      const target = await replyTarget(ctx, where);
      const intent: Intent = { kind: 'command', command: parsed.command, groupId: parsed.groupId, ...meetingOf(parsed) };
      return { target, reply: await ctx.service.handle(target.requester, intent, viewKey(payload.data)) };
    })().catch((error: unknown) => void logFailure(ctx.logger, 'view', error));
    const answered = await Promise.race([work, sleep(MODAL_ANSWER_BUDGET_MS).then(() => 'late' as const)]);
    if (answered && answered !== 'late' && isRefusal(answered.reply)) {
      await ack({ response_action: 'errors', errors: modalErrors(values, answered.reply.private) });
      return;
    }
    await ack();
    // Past the budget the modal is closed; whatever the service answers arrives as an ephemeral card.
    if (answered === 'late') {
      await guarded(ctx.logger, 'view', async () => {
        const late = await work;
        if (late) await deliver(ctx, late.target, late.reply);
      });
    }
  });
}

function isRefusal(reply: Reply): reply is Reply & { private: NonNullable<Reply['private']> } {
  return !reply.applied && !reply.duplicate && reply.private !== undefined;
}

/** The card's meeting, for the service to check against the running one. */
function meetingOf(parsed: { meetingId?: string }): { meetingId?: string } {
  return parsed.meetingId === undefined ? {} : { meetingId: parsed.meetingId };
}

function groupOf(data: unknown): string | undefined {
  const payload = (data as Record<string, { g?: unknown }> | undefined)?.[PAYLOAD_KEY];
  return typeof payload?.g === 'string' ? payload.g : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Work after the acknowledgement has no caller to throw to: its failure is logged. */
async function guarded(logger: Logger, kind: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    logFailure(logger, kind, error);
  }
}

/** With the error's code or class only: its message may quote what someone wrote. */
function logFailure(logger: Logger, kind: string, error: unknown): void {
  const code = error instanceof Error ? ((error as { code?: unknown }).code ?? error.name) : typeof error;
  logger.error({ kind, err: String(code) }, 'slack request failed after acknowledgement');
}
