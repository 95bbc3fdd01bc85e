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
import { deliver, inlineAnswer, openForm, replyTarget, type SlackContext } from './replies.js';

/**
 * How long a slash command or a modal submission waits for the service before Slack is
 * answered anyway (its limit is 3 seconds): within it, a command's card goes back in the
 * acknowledgement itself and a refusal shows inside the modal; past it, the answer follows.
 */
const ANSWER_BUDGET_MS = 1_500;

/**
 * Buttons are acknowledged first (Bolt answers Slack at once, as processBeforeResponse is
 * off) and worked on after; slash commands and modal submissions wait for the service up
 * to ANSWER_BUDGET_MS. A retried delivery carries the same payload, hence the same
 * idempotency key, and the service applies it once.
 */
export function registerListeners(app: App, ctx: SlackContext): void {
  app.command('/codev', async ({ ack, body, respond }) => {
    const work = answerOf(ctx.logger, 'command', async () => {
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
      // Slack does not send a slash command again (past 3 s its author sees a time-out):
      // the key guards a change all the same, and a question is just answered.
      const key = intent.kind === 'command' ? commandKey(command) : undefined;
      return { target, reply: await ctx.service.handle(target.requester, intent, key) };
    });
    const answered = await withinBudget(work);
    const inline = answered && answered !== 'late' ? inlineAnswer(answered.target, answered.reply) : undefined;
    if (inline) return ack(inline);
    await ack();
    await guarded(ctx.logger, 'command', async () => {
      const late = await work;
      if (late) await deliver(ctx, late.target, late.reply);
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
    const work = answerOf(ctx.logger, 'view', async () => {
      const target = await replyTarget(ctx, where);
      const intent: Intent = { kind: 'command', command: parsed.command, groupId: parsed.groupId, ...meetingOf(parsed) };
      return { target, reply: await ctx.service.handle(target.requester, intent, viewKey(payload.data)) };
    });
    const answered = await withinBudget(work);
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

/** The work's outcome, or 'late' once ANSWER_BUDGET_MS have passed. */
async function withinBudget<T>(work: Promise<T>): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ANSWER_BUDGET_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The service's answer, or undefined when the work failed (logged). */
function answerOf<T>(logger: Logger, kind: string, work: () => Promise<T>): Promise<T | undefined> {
  return work().catch((error: unknown) => void logFailure(logger, kind, error));
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
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  const label = typeof code === 'string' || typeof code === 'number' ? String(code) : error instanceof Error ? error.name : typeof error;
  logger.error({ kind, err: label }, 'slack request failed after acknowledgement');
}
