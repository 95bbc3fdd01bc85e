import { describe, expect, it } from 'vitest';
import { parseCardAction } from '../../src/cards/actions.js';
import { escapeMrkdwn, SLACK_ACTION, slackStateToInputs, toSlackMessage, toSlackModal } from '../../src/cards/slack/index.js';
import { catalog } from '../../scripts/cards/catalog.js';
import { makeGroup } from '../../scripts/cards/sample-groups.js';
import { nodes } from './helpers.js';
import { renderView } from '../../src/cards/views.js';
import { NOW } from '../../scripts/cards/sample-groups.js';

const SUPPORTED = new Set([
  'AdaptiveCard',
  'TextBlock',
  'RichTextBlock',
  'TextRun',
  'FactSet',
  'Container',
  'ColumnSet',
  'Column',
  'ActionSet',
  'Input.Text',
  'Input.Number',
  'Input.Date',
  'Input.Time',
  'Input.Toggle',
  'Input.ChoiceSet',
  'Action.Execute',
  'Action.OpenUrl',
  'Action.ShowCard',
]);
const cards = catalog('fr');
const find = (name: string) => {
  const entry = cards.find((e) => e.name === name);
  if (!entry) throw new Error(name);
  return entry.card;
};

describe('Adaptive Card to Block Kit', () => {
  it('knows every element type our cards use', () => {
    // Button data carries intents with a `type` of their own: not card elements.
    const elementTypes = (value: unknown): string[] =>
      Array.isArray(value)
        ? value.flatMap(elementTypes)
        : value && typeof value === 'object'
          ? [
              ...(typeof (value as { type?: unknown }).type === 'string' ? [String((value as { type: string }).type)] : []),
              ...Object.entries(value).flatMap(([key, child]) => (key === 'data' ? [] : elementTypes(child))),
            ]
          : [];
    const types = new Set(cards.flatMap((e) => elementTypes(e.card)));
    for (const type of types) expect(SUPPORTED, type).toContain(type);
  });

  it('is pure: the same card gives the same blocks, and the card is not changed', () => {
    const card = find('step-4-channel');
    const before = JSON.stringify(card);
    expect(toSlackMessage(card, { locale: 'fr' })).toEqual(toSlackMessage(card, { locale: 'fr' }));
    expect(JSON.stringify(card)).toBe(before);
  });

  it('maps headings to headers, subtle text to context, facts to fields, buttons to actions', () => {
    const blocks = toSlackMessage(find('evaluation-summary'), { locale: 'fr' }).blocks;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Évaluations : séance 2' } });
    expect(blocks[1]?.type).toBe('context');
    expect(blocks.some((b) => b.type === 'section' && Array.isArray(b.fields))).toBe(true);
    const plan = toSlackMessage(find('plan'), { locale: 'fr' }).blocks;
    expect(JSON.stringify(plan)).toContain('"url":"https://codev.example/calendar/g1.ics"');
  });

  it('gives a list item’s single button to its section as accessory', () => {
    const blocks = toSlackMessage(find('step-4-client'), { locale: 'fr' }).blocks;
    expect(
      blocks.filter((b) => (b.accessory as { action_id?: string } | undefined)?.action_id?.startsWith(`${SLACK_ACTION.execute}.keepSuggestion`))
        .length,
    ).toBe(6);
  });

  it('turns a ShowCard into a button that opens the same inputs as a modal, and reads the answer back', () => {
    const card = find('step-3-client');
    const button = nodes(toSlackMessage(card, { locale: 'fr' }).blocks).find((n) => String(n.action_id).startsWith(SLACK_ACTION.showCard));
    expect(button?.action_id).toMatch(/^codev\.showCard\.writeContract\./);
    const value = JSON.parse(String(button?.value)) as { showCard: string };
    const modal = toSlackModal(card, { locale: 'fr', showCardId: value.showCard });
    expect(modal.blocks.find((b) => b.type === 'input')).toMatchObject({
      block_id: 'contractText',
      element: { action_id: 'contractText', type: 'plain_text_input' },
    });
    const inputs = slackStateToInputs({ contractText: { contractText: { type: 'plain_text_input', value: 'Ma demande <!here>' } } });
    expect(parseCardAction(JSON.parse(modal.private_metadata), inputs)).toEqual({
      groupId: 'g1',
      meetingId: 'm2',
      command: { type: 'writeContract', text: 'Ma demande <!here>' },
    });
    expect(parseCardAction(value, {})).toMatchObject({ command: { type: 'writeContract' } });
  });

  it('sends a form as a message with one button that opens it as a modal', () => {
    const message = toSlackMessage(find('setup'), { locale: 'fr' });
    expect(nodes(message.blocks).filter((n) => n.type === 'input')).toEqual([]);
    expect(nodes(message.blocks).find((n) => String(n.action_id).startsWith(SLACK_ACTION.openForm))).toBeDefined();
  });

  it('builds the setup modal with native pickers and reads every kind of input back', () => {
    const modal = toSlackModal(find('setup'), { locale: 'fr' });
    const types = Object.fromEntries(modal.blocks.filter((b) => b.type === 'input').map((b) => [b.block_id, (b.element as { type: string }).type]));
    expect(types).toMatchObject({
      setupName: 'plain_text_input',
      setupDate: 'datepicker',
      setupTime: 'timepicker',
      setupCadence: 'number_input',
      setupLocale: 'static_select',
    });
    const inputs = slackStateToInputs({
      setupName: { setupName: { type: 'plain_text_input', value: 'Groupe' } },
      setupDate: { setupDate: { type: 'datepicker', selected_date: '2027-01-14' } },
      setupTime: { setupTime: { type: 'timepicker', selected_time: '14:00' } },
      setupCadence: { setupCadence: { type: 'number_input', value: '6' } },
      setupDuration: { setupDuration: { type: 'number_input', value: '120' } },
      setupPlace: { setupPlace: { type: 'plain_text_input', value: null } },
      setupTimeZone: { setupTimeZone: { type: 'plain_text_input', value: 'Europe/Paris' } },
      setupLocale: { setupLocale: { type: 'static_select', selected_option: { value: 'fr' } } },
    });
    expect(parseCardAction(JSON.parse(modal.private_metadata), inputs)).toMatchObject({
      command: { type: 'setup', calendar: { firstMeetingLocal: '2027-01-14T14:00', cadenceWeeks: 6 } },
    });
  });

  it('reads a toggle as true or false', () => {
    expect(slackStateToInputs({ a: { learningShared: { type: 'checkboxes', selected_options: [{ value: 'true' }] } } })).toEqual({
      learningShared: 'true',
    });
    expect(slackStateToInputs({ a: { learningShared: { type: 'checkboxes', selected_options: [] } } })).toEqual({ learningShared: 'false' });
  });

  it('escapes the three characters Slack reads as markup', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> <https://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;');
  });

  it('escapes the formatting characters of what people wrote, so they cannot open bold or code', () => {
    expect(escapeMrkdwn('*urgent* _vite_ ~non~ `code`')).not.toMatch(/[*_~`]/);
  });
});

/** Every mrkdwn text of a Slack message (sections, fields, context elements). */
function mrkdwnTexts(blocks: unknown): string[] {
  return nodes(blocks)
    .filter((n) => n.type === 'mrkdwn')
    .map((n) => String(n.text));
}

/**
 * Slack reads `*bold*` and `_italic_` only when the marker touches the text it wraps, not a
 * space: `*Léa : *Que` shows its asterisks. Escaped text holds no marker character, so every
 * `*` or `_` left is a marker, and they pair up within a line.
 */
function markerProblems(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    for (const marker of ['*', '_']) {
      const parts = line.split(marker);
      if (parts.length % 2 === 0) problems.push(`unpaired ${marker} in ${JSON.stringify(line)}`);
      for (let i = 1; i < parts.length; i += 2) {
        const inner = parts[i] ?? '';
        if (inner === '' || /^\s|\s$/.test(inner)) problems.push(`${marker}${inner}${marker} in ${JSON.stringify(line)}`);
        if (/[\p{L}\p{N}]$/u.test(parts[i - 1] ?? '') || /^[\p{L}\p{N}]/u.test(parts[i + 1] ?? ''))
          problems.push(`word next to ${marker}${inner}${marker}`);
      }
    }
  }
  return problems;
}

describe('Slack formatting as Slack reads it', () => {
  it.each(['fr', 'en'] as const)('never puts a marker next to a space inside its run, on any card of the catalogue (%s)', (locale) => {
    const worst = (step: 0 | 1 | 2 | 3 | 4 | 5 | 6) =>
      makeGroup({ step, text: (i) => ` *Texte ${i}* : _vraiment_ ~barré~ \`code\` & <!here> `, name: (i) => `Léa_${i} *Moreau* ` });
    for (const entries of [catalog(locale), catalog(locale, worst)]) {
      for (const { name, card, slack } of entries) {
        const blocks = slack === 'modal' ? toSlackModal(card, { locale }).blocks : toSlackMessage(card, { locale }).blocks;
        for (const text of mrkdwnTexts(blocks)) expect(markerProblems(text), name).toEqual([]);
      }
    }
  });

  it('shows a question’s author in bold before the question: "*Léa Moreau :* Que…"', () => {
    const group = makeGroup({
      step: 2,
      name: (i) => (i === 0 ? 'Léa Moreau' : `Membre ${i}`),
      text: (i) => (i === 10 ? 'Que disent les veilleurs ?' : `Texte ${i}`),
    });
    const texts = mrkdwnTexts(
      toSlackMessage(renderView(group, { name: 'step', meetingId: 'm2' }, { locale: 'fr', now: NOW }), { locale: 'fr' }).blocks,
    ).join('\n');
    expect(texts).toContain('*Léa Moreau :* Que disent les veilleurs ?');
    expect(texts).not.toContain(': *');
  });
});
