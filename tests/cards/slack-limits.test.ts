import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/engine/types.js';
import { SLACK_LIMITS as L, toSlackMessage, toSlackModal, type SlackBlock } from '../../src/cards/slack/index.js';
import type { AdaptiveCard, CardElement } from '../../src/cards/templates.js';
import { catalog } from '../../scripts/cards/catalog.js';
import { typicalGroup, worstGroup } from '../../scripts/cards/sample-groups.js';
import { nodes } from './helpers.js';

// Every limit is checked on every card (typical and worst case, both languages) and on
// stress cards built to exceed it, so each one has its own failing test if broken.

const chars = (text: unknown): number => Array.from(String(text ?? '')).length;
const huge = 'É😀<&>'.repeat(2_000);
const execute = (title: string, data: object = { codev: { v: 1, g: 'g1', c: { type: 'start' } } }): CardElement => ({
  type: 'Action.Execute',
  title,
  verb: 'start',
  data,
});

const stress: AdaptiveCard = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: huge, style: 'heading' },
    { type: 'TextBlock', text: huge },
    {
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: huge, weight: 'Bolder' },
        { type: 'TextRun', text: huge },
      ],
    },
    { type: 'FactSet', facts: Array.from({ length: 33 }, (_, i) => ({ title: `${i} ${huge}`, value: huge })) },
    { type: 'ActionSet', actions: Array.from({ length: 60 }, (_, i) => execute(`${i} ${huge}`)) },
    { type: 'ActionSet', actions: [execute('too big', { codev: { v: 1, g: 'x'.repeat(3_000) } })] },
    ...Array.from({ length: 120 }, (_, i): CardElement => ({
      type: 'Container',
      separator: true,
      items: [{ type: 'TextBlock', text: `${i} ${huge}` }],
    })),
    { type: 'ActionSet', actions: [execute('Étape suivante ▶')] },
  ],
};
const stressForm: AdaptiveCard = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Un titre de formulaire beaucoup trop long pour Slack', style: 'heading' },
    ...Array.from({ length: 150 }, (_, i): CardElement => ({
      type: 'Input.Text',
      id: `questionText`,
      label: `${i} ${huge}`,
      placeholder: huge,
      value: huge,
      maxLength: 100_000,
    })),
    {
      type: 'Input.ChoiceSet',
      id: 'suggestionKind',
      label: huge,
      style: 'expanded',
      choices: Array.from({ length: 30 }, (_, i) => ({ title: `${i} ${huge}`, value: `v${i}` })),
    },
  ],
  actions: [{ ...execute(`${huge}`), data: { codev: { v: 1, g: 'g'.repeat(4_000) } } }],
};

const LOCALES: Locale[] = ['fr', 'en'];
const messages: [string, SlackBlock[]][] = [];
const modals: [string, ReturnType<typeof toSlackModal>][] = [];
for (const locale of LOCALES) {
  for (const [fixture, groupAt] of [
    ['typical', typicalGroup],
    ['worst', worstGroup],
  ] as const) {
    for (const entry of catalog(locale, groupAt)) {
      messages.push([`${fixture} ${locale} ${entry.name}`, toSlackMessage(entry.card, { locale }).blocks]);
      for (const node of nodes(entry.card)) {
        if (node.type === 'Action.ShowCard')
          modals.push([`${entry.name} ${String(node.id)}`, toSlackModal(entry.card, { locale, showCardId: String(node.id) })]);
      }
      if (entry.slack === 'modal') modals.push([`${entry.name}`, toSlackModal(entry.card, { locale })]);
    }
  }
  messages.push(
    [`stress ${locale}`, toSlackMessage(stress, { locale }).blocks],
    [`stress form ${locale}`, toSlackMessage(stressForm, { locale }).blocks],
  );
  modals.push([`stress form ${locale}`, toSlackModal(stressForm, { locale })]);
}
const allBlocks = [...messages, ...modals.map(([name, view]) => [name, view.blocks] as [string, SlackBlock[]])];
const every = (type: string) =>
  allBlocks.flatMap(([name, blocks]) =>
    nodes(blocks)
      .filter((n) => n.type === type)
      .map((n) => [name, n] as const),
  );

describe('Slack limits', () => {
  it('at most 50 blocks per message, keeping the trailing buttons', () => {
    for (const [name, blocks] of messages) expect(blocks.length, name).toBeLessThanOrEqual(L.messageBlocks);
    const blocks = toSlackMessage(stress, { locale: 'fr' }).blocks;
    expect(blocks.length).toBe(L.messageBlocks);
    expect(JSON.stringify(blocks.at(-1))).toContain('Étape suivante');
    expect(JSON.stringify(blocks.at(-2))).toContain('/codev export');
  });

  it('at most 100 blocks per modal', () => {
    for (const [name, view] of modals) expect(view.blocks.length, name).toBeLessThanOrEqual(L.modalBlocks);
  });

  it('at most 3,000 characters per section text', () => {
    for (const [name, section] of every('section'))
      expect(chars((section.text as { text?: string } | undefined)?.text), name).toBeLessThanOrEqual(L.sectionText);
  });

  it('at most 10 fields per section, 2,000 characters each', () => {
    for (const [name, section] of every('section')) {
      const fields = (section.fields as { text: string }[] | undefined) ?? [];
      expect(fields.length, name).toBeLessThanOrEqual(L.sectionFields);
      for (const field of fields) expect(chars(field.text), name).toBeLessThanOrEqual(L.fieldText);
    }
  });

  it('at most 25 elements per actions block', () => {
    for (const [name, block] of every('actions')) expect((block.elements as unknown[]).length, name).toBeLessThanOrEqual(L.actionsElements);
  });

  it('at most 75 characters per button label', () => {
    for (const [name, button] of every('button')) expect(chars((button.text as { text: string }).text), name).toBeLessThanOrEqual(L.buttonText);
  });

  it('at most 2,000 characters per button value, which parses back to the card payload', () => {
    for (const [name, button] of every('button')) {
      if (button.url) continue;
      // A payload over the limit cannot come from our cards; only the stress card has one.
      if (button.value === undefined && name.startsWith('stress')) continue;
      expect(String(button.value).length, name).toBeLessThanOrEqual(L.buttonValue);
      expect(JSON.parse(String(button.value)).codev.v, name).toBe(1);
    }
  });

  it('at most 24 characters per modal title and modal button', () => {
    for (const [name, view] of modals) {
      expect(chars(view.title.text), name).toBeLessThanOrEqual(L.modalTitle);
      expect(chars(view.close.text), name).toBeLessThanOrEqual(L.modalButton);
      if (view.submit) expect(chars(view.submit.text), name).toBeLessThanOrEqual(L.modalButton);
    }
  });

  it('at most 3,000 characters of private metadata per modal', () => {
    for (const [name, view] of modals) expect(view.private_metadata.length, name).toBeLessThanOrEqual(L.privateMetadata);
  });

  it('at most 150 characters per header', () => {
    for (const [name, header] of every('header')) expect(chars((header.text as { text: string }).text), name).toBeLessThanOrEqual(L.headerText);
  });

  it('at most 2,000 characters per input label and 150 per placeholder', () => {
    for (const [name, input] of every('input')) expect(chars((input.label as { text: string }).text), name).toBeLessThanOrEqual(L.inputLabel);
    for (const [name, input] of every('plain_text_input')) {
      const placeholder = input.placeholder as { text: string } | undefined;
      if (placeholder) expect(chars(placeholder.text), name).toBeLessThanOrEqual(L.placeholder);
      expect(Number(input.max_length), name).toBeLessThanOrEqual(L.plainTextInput);
      expect(chars(input.initial_value), name).toBeLessThanOrEqual(L.plainTextInput);
    }
  });

  it('at most 75 characters per option text, 10 radio buttons, 100 select options', () => {
    for (const type of ['radio_buttons', 'static_select', 'checkboxes']) {
      for (const [name, element] of every(type)) {
        const options = element.options as { text: { text: string } }[];
        expect(options.length, name).toBeLessThanOrEqual(type === 'radio_buttons' ? L.radioOptions : L.selectOptions);
        for (const option of options) expect(chars(option.text.text), name).toBeLessThanOrEqual(L.optionText);
      }
    }
  });

  it('at most 10 elements per context block', () => {
    for (const [name, block] of every('context')) expect((block.elements as unknown[]).length, name).toBeLessThanOrEqual(L.contextElements);
  });

  it('unique action ids within a message', () => {
    for (const [name, blocks] of messages) {
      const ids = nodes(blocks).flatMap((n) => (typeof n.action_id === 'string' ? [n.action_id] : []));
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const id of ids) expect(id.length, name).toBeLessThanOrEqual(L.actionId);
    }
  });

  it('says when something was shortened, and where to read it all', () => {
    const worst = catalog('fr', worstGroup).find((e) => e.name === 'step-4-channel');
    const text = JSON.stringify(toSlackMessage(worst!.card, { locale: 'fr' }).blocks);
    expect(text).toContain('…');
    expect(text).toContain('/codev export');
  });
});
