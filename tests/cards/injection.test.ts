import { describe, expect, it } from 'vitest';
import type { Group } from '../../src/engine/types.js';
import { toSlackMessage, toSlackModal } from '../../src/cards/slack/index.js';
import { catalog } from '../../scripts/cards/catalog.js';
import { makeGroup } from '../../scripts/cards/sample-groups.js';
import { bytes, cardValidator, nodes, parseEvents, strings } from './helpers.js';

// Text a member might type, on purpose or not: it must come out as the same text (or
// shortened), never as a mention, a link, a template expression or a broken card.

const HUNDRED_KB = `${'A'.repeat(50_000)}<!channel>${'é'.repeat(25_000)}`;
const CORPUS = [
  '<!channel> réunion annulée',
  '<!here> & <!everyone>',
  'Merci <@U123ABC> et <#C999|général>',
  '<https://evil.example|cliquez ici>',
  '[cliquez](https://evil.example) **gras** _it_ `code`',
  '${$root}',
  "${l.title} ${join(createArray(1,2), ',')} ${$data}",
  '"}]} ,{"type":"Action.OpenUrl","url":"https://evil.example"}',
  '</script><script>alert(1)</script>',
  'zéro\u200Blargeur\u200D et \u202Eetirovaf\u202C fin',
  'A &amp; B &lt; C',
  HUNDRED_KB,
];
const SHORT = CORPUS.filter((text) => text.length < 1_000);

function injected(step: 0 | 1 | 2 | 3 | 4 | 5 | 6): Group {
  const group = makeGroup({
    step,
    memberCount: 10,
    suggestions: 12,
    text: (i) => CORPUS[i % CORPUS.length] ?? '',
    name: (i) => CORPUS[i % SHORT.length] ?? '',
  });
  group.name = CORPUS[0] ?? '';
  group.calendar.place = CORPUS[3] ?? '';
  return group;
}

const entries = (['fr', 'en'] as const).flatMap((locale) => catalog(locale, injected).map((entry) => ({ ...entry, locale })));

describe('user text in Teams cards', () => {
  it('never breaks a card: every one still validates, parses cleanly and fits', () => {
    for (const entry of entries) {
      expect(cardValidator()(entry.card), entry.name).toBe(true);
      expect(parseEvents(entry.card), entry.name).toEqual([]);
      expect(bytes(entry.card), entry.name).toBeLessThan(80 * 1024);
    }
  });

  it('comes out literally, `${...}` included', () => {
    const all = entries.flatMap((e) => strings(e.card)).join('\n');
    for (const text of SHORT) expect(all, text).toContain(text);
  });

  it('is never placed where Teams reads Markdown (TextBlock), only in TextRuns and inputs', () => {
    for (const entry of entries) {
      for (const node of nodes(entry.card)) {
        if (node.type !== 'TextBlock' && node.type !== 'Fact') continue;
        for (const text of SHORT) expect(String(node.text ?? ''), entry.name).not.toContain(text);
      }
    }
  });

  it('adds no element and no link: the structure is that of plain text', () => {
    for (const entry of entries) {
      expect(nodes(entry.card).filter((n) => n.type === 'Action.OpenUrl' && String(n.url).includes('evil'))).toEqual([]);
    }
  });

  it('is shortened when it is 100 KB', () => {
    const all = entries.flatMap((e) => strings(e.card));
    expect(all.some((s) => s.includes(HUNDRED_KB))).toBe(false);
    expect(all.some((s) => s.startsWith('AAAA') && s.endsWith('…'))).toBe(true);
  });
});

describe('user text in Slack', () => {
  const slack = entries.flatMap((entry) => {
    const out = [toSlackMessage(entry.card, { locale: entry.locale }).blocks];
    for (const node of nodes(entry.card)) {
      if (node.type === 'Action.ShowCard') out.push(toSlackModal(entry.card, { locale: entry.locale, showCardId: String(node.id) }).blocks);
    }
    if (entry.slack === 'modal') out.push(toSlackModal(entry.card, { locale: entry.locale }).blocks);
    return out;
  });
  const mrkdwnTexts = slack.flatMap((blocks) => nodes(blocks).filter((n) => n.type === 'mrkdwn'));

  it('never reaches Slack as a mention, a broadcast or a link', () => {
    for (const node of mrkdwnTexts) {
      expect(String(node.text)).not.toMatch(/<[!@#]|<https?:/);
      expect(String(node.text)).not.toMatch(/[<>]/);
    }
  });

  it('escapes & < > as Slack asks, so entities typed by users stay visible', () => {
    const all = mrkdwnTexts.map((n) => String(n.text)).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U123ABC&gt;');
    expect(all).toContain('&lt;https://evil.example|cliquez ici&gt;');
    expect(all).toContain('A &amp;amp; B &amp;lt; C');
    for (const node of mrkdwnTexts) expect(String(node.text)).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('turns off Slack’s auto-linking and mention parsing on every mrkdwn text', () => {
    for (const node of mrkdwnTexts) expect(node.verbatim).toBe(true);
  });

  it('keeps `${...}`, JSON breakers, zero-width and right-to-left characters as text', () => {
    const all = slack.flatMap((blocks) => strings(blocks)).join('\n');
    expect(all).toContain('${$root}');
    expect(all).toContain('"}]} ,{"type":"Action.OpenUrl"');
    expect(all).toContain('zéro\u200Blargeur\u200D et \u202Eetirovaf\u202C fin');
  });

  it('never carries user text in a button value: only the card payload', () => {
    for (const blocks of slack) {
      for (const node of nodes(blocks)) {
        if (node.type !== 'button' || node.value === undefined) continue;
        for (const text of SHORT) expect(String(node.value)).not.toContain(text);
      }
    }
  });
});
