import { describe, expect, it } from 'vitest';
import { actionKey, commandKey, viewKey } from '../../src/adapters/slack/keys.js';
import { mentionsIn } from '../../src/adapters/slack/mentions.js';
import { blockActionsSchema, slashCommandSchema, viewSubmissionSchema } from '../../src/adapters/slack/payloads.js';

const click = (overrides: Record<string, unknown> = {}) =>
  blockActionsSchema.parse({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U1', name: 'anne' },
    trigger_id: '111.222.abc',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1' },
    channel: { id: 'C1' },
    message: { ts: '1700000000.000100', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'step 2' } }] },
    actions: [{ type: 'button', action_id: 'next', block_id: 'controls', value: '{"codev":1}', action_ts: '1700000001.1' }],
    ...overrides,
  });

describe('Slack idempotency keys', () => {
  it('gives a double click on the same rendering one key, whatever its action_ts and trigger_id', () => {
    const first = click();
    const second = click({
      trigger_id: '333.444.def',
      actions: [{ type: 'button', action_id: 'next', block_id: 'controls', value: '{"codev":1}', action_ts: '1700000001.9' }],
    });
    expect(actionKey(second)).toBe(actionKey(first));
  });

  it('gives a click after the card changed, or by someone else, a new key', () => {
    const changed = click({ message: { ts: '1700000000.000100', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'step 3' } }] } });
    const other = click({ user: { id: 'U2' } });
    expect(actionKey(changed)).not.toBe(actionKey(click()));
    expect(actionKey(other)).not.toBe(actionKey(click()));
  });

  it('keys a slash command by its trigger id and a modal by its view, hash and values', () => {
    const command = slashCommandSchema.parse({ team_id: 'T1', channel_id: 'C1', user_id: 'U1', text: 'next', trigger_id: '9.9.z' });
    expect(commandKey(command)).toBe('cmd:9.9.z');
    const view = (value: string) =>
      viewSubmissionSchema.parse({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'U1' },
        view: {
          id: 'V1',
          hash: 'h1',
          callback_id: 'codev',
          private_metadata: '{}',
          state: { values: { b: { questionText: { type: 'plain_text_input', value } } } },
        },
      });
    expect(viewKey(view('a'))).toBe(viewKey(view('a')));
    expect(viewKey(view('a'))).not.toBe(viewKey(view('b')));
  });
});

describe('mentionsIn', () => {
  it('reads escaped mentions once each, with or without a name, leaving the bot out', () => {
    expect(mentionsIn('add <@U0A1|anne> <@W0B2> <@U0A1|anne> <@UBOT|codev> <#C123|general>', 'UBOT')).toEqual([
      { userId: 'U0A1', name: 'anne' },
      { userId: 'W0B2', name: '' },
    ]);
  });
});
