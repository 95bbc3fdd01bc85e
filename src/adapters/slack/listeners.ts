import type { App, ViewResponseAction } from '@slack/bolt';
import { intentFromText, type Intent } from '../../app/intents.js';
import type { CardMessage, Logger } from '../../app/ports.js';
import type { Reply } from '../../app/service.js';
import { parseCardAction, parseMyActions } from '../../cards/actions.js';
import { PAYLOAD_KEY } from '../../cards/payload.js';
import { slackStateToInputs } from '../../cards/slack/index.js';
import { DEFAULT_LOCALE, t } from '../../cards/i18n.js';
import type { Locale } from '../../engine/types.js';
import { actionKey, commandKey, viewKey } from './keys.js';
import { mentionsIn } from './mentions.js';
import { blockActionsSchema, slashCommandSchema, viewSubmissionSchema, type StateValues } from './payloads.js';
import {
  formButton,
  MODAL_CALLBACK_ID,
  ModalMetadataError,
  modalErrors,
  modalErrorText,
  readModal,
  slackModal,
  type ModalContext,
} from './render.js';
import { deliver, inlineAnswer, openForm, replaceOwnCard, replyTarget, type ReplyTarget, type SlackContext } from './replies.js';
import { errorCode } from '../../app/error-code.js';

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
    const failure = () => failureLocale(ctx, body.user_id).then((locale) => failureAnswer(locale));
    if (answered === FAILED) return ack(await failure());
    const inline = answered !== 'late' ? inlineAnswer(answered.target, answered.reply) : undefined;
    if (inline) return ack(inline);
    await ack();
    await deliverLate(ctx, 'command', work, async () => void (await respond({ ...(await failure()), replace_original: false })));
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, respond }) => {
    await ack();
    // A click whose work fails is told so, alone: nothing on the card shows it was not saved.
    const notify = async () => {
      const parsed = blockActionsSchema.safeParse(body);
      if (!parsed.success) return;
      const answer = failureAnswer(await failureLocale(ctx, parsed.data.user.id));
      if (parsed.data.response_url) return void (await respond({ ...answer, replace_original: false }));
      const channel = parsed.data.channel?.id ?? parsed.data.container.channel_id;
      if (channel) await ctx.client.chat.postEphemeral({ channel, user: parsed.data.user.id, text: answer.text });
    };
    await guarded(
      ctx.logger,
      'action',
      async () => {
        const payload = blockActionsSchema.parse(body);
        const action = payload.actions[0];
        // Selects and date pickers report every change; only buttons act.
        if (action?.type !== 'button' || action.value === undefined) return;
        const channelId = payload.channel?.id ?? payload.container.channel_id ?? readModal(payload.view?.private_metadata)?.channelId;
        if (!channelId) return ctx.logger.warn({ code: 'noChannel' }, 'slack action without a channel');
        const where = { teamId: payload.team?.id ?? payload.user.team_id ?? '', channelId, userId: payload.user.id, name: payload.user.name ?? '' };
        const target = await replyTarget(
          ctx,
          where,
          payload.response_url ? { triggerId: payload.trigger_id, respond } : { triggerId: payload.trigger_id },
        );
        const data = parseJson(action.value);
        // "My actions": the person's own card of the meeting, with their role's buttons, for them alone.
        const mine = parseMyActions(data);
        if (mine) return deliver(ctx, target, await ctx.service.handle(target.requester, { kind: 'query', query: 'status', groupId: mine.groupId }));
        const form = formButton(action.action_id);
        if (form) return openForm(ctx, target, form, groupOf(data));
        const parsed = parseCardAction(data, slackStateToInputs(payload.state?.values ?? {}));
        if ('error' in parsed) return ctx.logger.warn({ code: 'invalidAction' }, 'slack action refused at the edge');
        const intent: Intent = { kind: 'command', command: parsed.command, groupId: parsed.groupId, ...meetingOf(parsed) };
        const reply = await ctx.service.handle(target.requester, intent, actionKey(payload));
        await deliver(ctx, target, reply);
        // A button of the person's own card ("Mes actions") shows them that card as it now stands.
        if (payload.container.is_ephemeral === true && reply.applied && reply.group) await replaceOwnCard(ctx, target, reply.group);
      },
      notify,
    );
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
    // A failed save keeps the modal open with what it holds, saying it was not saved.
    if (answered === FAILED) return ack(notSavedInModal(values, modal.locale));
    if (answered !== 'late' && answered.reply.check) return ack(checkModal(answered.reply.check, values, modal));
    if (answered !== 'late' && isRefusal(answered.reply)) {
      await ack({ response_action: 'errors', errors: modalErrors(values, answered.reply.private) });
      return;
    }
    // "Send anyway" is sent from the guard's view, stacked on the form: both close.
    await ack('confirmedThirdPartyData' in parsed.command ? { response_action: 'clear' } : undefined);
    // Past the budget the modal is closed; whatever the service answers arrives as an ephemeral card.
    if (answered === 'late') {
      await deliverLate(ctx, 'view', work, async () => {
        await ctx.client.chat.postEphemeral({ channel: modal.channelId, user: user.id, text: t(modal.locale, NOT_SAVED) });
      });
    }
  });
}

/** What a person reads when their change could not be saved: no internal detail. */
const NOT_SAVED = 'failure.notSaved';

function failureAnswer(locale: Locale): { response_type: 'ephemeral'; text: string } {
  return { response_type: 'ephemeral', text: t(locale, NOT_SAVED) };
}

/** The person's own language from Slack (the group's needs the store, which may be what failed). */
async function failureLocale(ctx: SlackContext, userId: string): Promise<Locale> {
  const person = await ctx.people.get(userId, '').catch(() => undefined);
  return person?.locale ?? DEFAULT_LOCALE;
}

/** The text under the modal's first field; a modal without fields is replaced by the text. */
function notSavedInModal(values: StateValues, locale: Locale): ViewResponseAction {
  const errors = modalErrorText(values, t(locale, NOT_SAVED));
  if (Object.keys(errors).length > 0) return { response_action: 'errors', errors };
  return {
    response_action: 'update',
    view: {
      type: 'modal',
      title: { type: 'plain_text' as const, text: t(locale, 'slack.modalTitle') },
      close: { type: 'plain_text', text: 'OK' },
      blocks: [{ type: 'section', text: { type: 'plain_text', text: t(locale, NOT_SAVED) } }],
    },
  };
}

/**
 * The guard's question stacked on the form: its submit sends the text anyway, and its
 * close button ("Rephrase") takes the person back to their form as they left it. A text
 * too long to travel with the question is sent back to the form with the reason.
 */
function checkModal(check: CardMessage, values: StateValues, modal: ModalContext): ViewResponseAction {
  let view: ReturnType<typeof slackModal> | undefined;
  try {
    view = slackModal(check, modal);
  } catch (error) {
    if (!(error instanceof ModalMetadataError)) throw error;
  }
  if (!view || groupOf(readModal(view.private_metadata)?.data) === undefined)
    return { response_action: 'errors', errors: modalErrors(values, check) };
  return { response_action: 'push', view: { ...view, close: { type: 'plain_text', text: t(modal.locale, 'thirdParty.rephrase') } } };
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

/** The work's answer, or FAILED when it threw (logged). */
function answerOf<T>(logger: Logger, kind: string, work: () => Promise<T>): Promise<T | typeof FAILED> {
  return work().catch((error: unknown) => {
    logFailure(logger, kind, error);
    return FAILED;
  });
}

/** The work failed before the answer to Slack: the person is told it was not saved. */
const FAILED = Symbol('failed');

/** The answer of work that outlasted the acknowledgement, delivered when it comes. */
function deliverLate(
  ctx: SlackContext,
  kind: string,
  work: Promise<{ target: ReplyTarget; reply: Reply } | typeof FAILED>,
  notify: () => Promise<void>,
): Promise<void> {
  const delivery = async () => {
    const late = await work;
    if (late === FAILED) throw new WorkFailedError();
    await deliver(ctx, late.target, late.reply);
  };
  return guarded(ctx.logger, kind, delivery, notify);
}

/** Work answered by FAILED; already logged where it failed. */
class WorkFailedError extends Error {
  override readonly name = 'WorkFailedError';
}

/**
 * Work after the acknowledgement has no caller to throw to: its failure is logged, and the
 * person told through `notify` (whose own failure is logged too).
 */
async function guarded(logger: Logger, kind: string, work: () => Promise<void>, notify?: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof WorkFailedError)) logFailure(logger, kind, error);
    if (notify) await notify().catch((notifyError: unknown) => logFailure(logger, `${kind}.notify`, notifyError));
  }
}

function logFailure(logger: Logger, kind: string, error: unknown): void {
  logger.error({ kind, err: errorCode(error) }, 'slack request failed');
}
