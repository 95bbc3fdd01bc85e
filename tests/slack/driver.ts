import { expect } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import type { SlackCall } from '../support/fakes/slack-api.js';
import { CHANNEL_ID, PEOPLE, TEAM_ID } from './fixtures.js';
import { nextTrigger, type SlackStack } from './stack.js';

type Json = Record<string, unknown>;

export interface Button {
  action_id: string;
  block_id?: string;
  value?: string;
  text: { text: string };
}

export interface PostedMessage {
  channel: string;
  ts: string;
  blocks: Json[];
  ephemeral?: boolean;
}

/** A button that opens the modal of a card's sub-form, e.g. `askQuestion`. */
export const opensForm = (form: string) => (button: Button) => button.action_id.startsWith(`codev.showCard.${form}.`);

/** The "Mes actions" button of a channel step card, which opens the person's own controls. */
export const opensMyActions = (button: Button) => button.action_id.startsWith('codev.execute.myActions.');

/** Every button of a message, in order. */
export function buttonsOf(blocks: Json[]): Button[] {
  return blocks.flatMap((block) => [
    ...(((block.elements as Json[] | undefined) ?? []).filter((e) => e.type === 'button') as unknown as Button[]),
    ...((block.accessory as Json | undefined)?.type === 'button' ? [block.accessory as Button] : []),
  ]);
}

/** The intent a button carries, e.g. `answerContract`, from its card payload. */
export function intentOf(button: Button): Json | undefined {
  try {
    return (JSON.parse(button.value ?? '') as { codev?: { c?: Json } }).codev?.c;
  } catch {
    return undefined;
  }
}

/** A button whose intent is `type`, with these values, e.g. `is('setAttendance', { status: 'excused' })`. */
export const is =
  (type: string, extra: Record<string, unknown> = {}) =>
  (button: Button) => {
    const intent = intentOf(button);
    return intent?.type === type && Object.entries(extra).every(([key, value]) => intent[key] === value);
  };

/**
 * Plays people in Slack: signed slash commands, clicks on the bot's messages as they now
 * stand in the fake, modals opened and submitted. Each action waits for the work behind
 * its acknowledgement and the effects of its change to finish, then for no new Slack call
 * for a moment.
 */
export class SlackPeople {
  /** `quietMs`: how long without a Slack call means the work behind an action is done. */
  constructor(
    private readonly stack: SlackStack,
    private readonly quietMs = 150,
  ) {}

  private person(userId: string) {
    const person = PEOPLE.find((p) => p.id === userId);
    if (!person) throw new Error(`unknown person ${userId}`);
    return person;
  }

  /** Waits until the work after the ack is done and the service has stopped calling Slack. */
  async settle(quietMs = this.quietMs): Promise<void> {
    let seen = -1;
    while (seen !== this.stack.fake.calls.length) {
      await this.stack.idle();
      seen = this.stack.fake.calls.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }

  /** `/codev <text>`; returns the Slack calls it caused. */
  async command(userId: string, text: string): Promise<SlackCall[]> {
    const before = this.stack.fake.calls.length;
    const answer = await this.stack.command(userId, text);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    await this.settle();
    return this.stack.fake.calls.slice(before);
  }

  /** The latest version of the bot's channel message holding a button that matches. */
  findMessage(match: (button: Button) => boolean, channel = CHANNEL_ID): PostedMessage {
    const messages = this.stack.fake.messagesIn(channel).reverse();
    const found = messages.find((m) => buttonsOf((m.blocks as Json[]) ?? []).some(match));
    if (!found) throw new Error('no message with such a button');
    return { channel, ts: String(found.ts), blocks: found.blocks as Json[] };
  }

  /** The last card shown to someone alone (through the response URL), as a message to click in. */
  lastEphemeral(): PostedMessage {
    const call = this.stack.fake.callsOf('response_url').at(-1);
    if (!call) throw new Error('no ephemeral message');
    return { channel: CHANNEL_ID, ts: `1700009999.${this.stack.fake.calls.length}`, blocks: call.args.blocks as Json[], ephemeral: true };
  }

  /** A `block_actions` payload for a click on a button of a message, as Slack builds it. */
  clickPayload(userId: string, message: PostedMessage, match: (button: Button) => boolean) {
    const button = buttonsOf(message.blocks).find(match);
    if (!button) throw new Error('no such button');
    const person = this.person(userId);
    const triggerId = nextTrigger();
    const block = message.blocks.find((b) => buttonsOf([b]).includes(button));
    return {
      type: 'block_actions',
      user: { id: userId, username: person.name, name: person.name, team_id: TEAM_ID },
      api_app_id: 'A0CODEV',
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral === true },
      trigger_id: triggerId,
      team: { id: TEAM_ID, domain: 'codev-test' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : 'codev-vaud-nord' },
      // Slack includes the message only when it is not ephemeral.
      ...(message.ephemeral
        ? {}
        : { message: { type: 'message', ts: message.ts, bot_id: this.stack.fake.botId, text: 'Codév', blocks: message.blocks } }),
      state: { values: {} },
      response_url: this.stack.fake.responseUrl(`act-${triggerId}`),
      actions: [{ ...button, block_id: String(block?.block_id ?? 'b'), type: 'button', action_ts: `${Date.now() / 1000}` }],
    };
  }

  /** Clicks a button of a message as Slack reports it (`block_actions`, message container). */
  async click(userId: string, message: PostedMessage, match: (button: Button) => boolean): Promise<SlackCall[]> {
    const before = this.stack.fake.calls.length;
    const answer = await this.stack.interact(this.clickPayload(userId, message, match));
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    await this.settle();
    return this.stack.fake.calls.slice(before);
  }

  /** The modal the last `views.open` showed, with the id and hash Slack gave it. */
  lastModal(): Json {
    const call = this.stack.fake.callsOf('views.open').at(-1);
    if (!call) throw new Error('no modal opened');
    const opened = (call.result?.view ?? {}) as Json;
    return { ...(call.args.view as Json), id: opened.id, hash: opened.hash };
  }

  /** A `view_submission` payload with the modal's inputs filled by card input id. */
  submissionPayload(userId: string, view: Json, values: Record<string, string>) {
    const person = this.person(userId);
    const state: Record<string, Record<string, Json>> = {};
    for (const block of (view.blocks as Json[]).filter((b) => b.type === 'input')) {
      const element = block.element as Json;
      const actionId = String(element.action_id);
      state[String(block.block_id)] = { [actionId]: stateOf(element, values[actionId]) };
    }
    return {
      type: 'view_submission',
      team: { id: TEAM_ID, domain: 'codev-test' },
      user: { id: userId, username: person.name, name: person.name, team_id: TEAM_ID },
      api_app_id: 'A0CODEV',
      token: 'deprecated-verification-token',
      trigger_id: nextTrigger(),
      view: { ...view, team_id: TEAM_ID, state: { values: state }, app_id: 'A0CODEV', bot_id: this.stack.fake.botId },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /**
   * `/codev rejoindre`, then a click on "J'accepte" on the ethics code shown to them alone:
   * the calls each caused.
   */
  async join(userId: string): Promise<{ shown: SlackCall[]; accepted: SlackCall[] }> {
    const shown = await this.command(userId, 'rejoindre');
    const accepted = await this.click(userId, this.lastEphemeral(), (button) => intentOf(button)?.type === 'acceptEthics');
    return { shown, accepted };
  }

  /**
   * The animateur's `/codev setup` and its form sent (first meeting 14 January 2027 at 14:00;
   * `fields` change any), then each member joins through the ethics code: the group as stored.
   */
  async setUpGroup(animateur: string, members: readonly string[], fields: Record<string, string> = {}): Promise<Group> {
    await this.sendSetup(animateur, fields);
    for (const member of members) await this.join(member);
    const stored = await this.stack.store.findGroupByConversation({ platform: 'slack', tenantId: TEAM_ID, channelId: CHANNEL_ID });
    if (!stored) throw new Error('no group set up');
    return stored.group;
  }

  /**
   * The animateur's `/codev setup` and its form sent (first meeting 14 January 2027 at 14:00;
   * `fields` change any): the calls opening the form, and the submission's answer.
   */
  async sendSetup(animateur: string, fields: Record<string, string> = {}) {
    const opened = await this.command(animateur, 'setup');
    const sent = await this.submit(animateur, this.lastModal(), {
      setupName: 'Directeurs EMS — Vaud Nord',
      setupDate: '2027-01-14',
      setupTime: '14:00',
      setupPlace: 'Yverdon-les-Bains',
      ...fields,
    });
    return { opened, ...sent };
  }

  /** The channel's live step card, as it now stands: the one whose "Mes actions" opens a person's controls. */
  liveStepCard(): PostedMessage {
    return this.findMessage(opensMyActions);
  }

  /** Clicks "Mes actions" on the live step card: the person's own controls, shown to them alone. */
  async mine(userId: string): Promise<PostedMessage> {
    await this.click(userId, this.liveStepCard(), opensMyActions);
    return this.lastEphemeral();
  }

  /** Fills the modal's inputs by card input id and submits it; returns the HTTP answer. */
  async submit(userId: string, view: Json, values: Record<string, string>): Promise<{ status: number; body: Json | undefined; calls: SlackCall[] }> {
    const before = this.stack.fake.calls.length;
    const answer = await this.stack.interact(this.submissionPayload(userId, view, values));
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(3_000);
    await this.settle();
    return { status: answer.status, body: answer.text ? (JSON.parse(answer.text) as Json) : undefined, calls: this.stack.fake.calls.slice(before) };
  }

  /** Clicks a button that opens a form, fills the modal and submits it. */
  async fillForm(userId: string, message: PostedMessage, match: (button: Button) => boolean, values: Record<string, string>) {
    const opened = await this.click(userId, message, match);
    expect(opened.map((c) => c.method)).toContain('views.open');
    return this.submit(userId, this.lastModal(), values);
  }
}

/** The state Slack reports for an element, as in `view.state.values`. */
function stateOf(element: Json, value: string | undefined): Json {
  const type = String(element.type);
  const options = (element.options as { value: string; text: Json }[] | undefined) ?? [];
  switch (type) {
    case 'static_select':
    case 'radio_buttons': {
      const option = options.find((o) => o.value === value) ?? (element.initial_option as Json | undefined) ?? null;
      return { type, selected_option: option };
    }
    case 'checkboxes':
      return { type, selected_options: value === undefined ? [] : options.filter((o) => o.value === value) };
    case 'datepicker':
      return { type, selected_date: value ?? element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: value ?? element.initial_time ?? null };
    case 'number_input':
      return { type, value: value ?? element.initial_value ?? null };
    default:
      return { type, value: value ?? element.initial_value ?? null };
  }
}
