import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locale } from '../src/engine/types.js';
import { toSlackMessage, toSlackModal } from '../src/cards/slack/index.js';
import { catalog } from './cards/catalog.js';

// `npm run cards:preview`: every card in fr and en, as Teams JSON, as Slack JSON, and
// rendered in one page by the real Adaptive Cards renderer with a Teams-like host config.

const OUT = path.resolve(process.cwd(), 'build/cards');
const LOCALES: Locale[] = ['fr', 'en'];

/** Close to Teams' light theme: enough to judge spacing, emphasis and button layout. */
export const TEAMS_HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        attention: { default: '#C4314B' },
        good: { default: '#237B4B' },
        accent: { default: '#5B5FC7' },
        warning: { default: '#835C00' },
      },
    },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    attention: { backgroundColor: '#FCF4F6', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
    good: { backgroundColor: '#E7F2DA', foregroundColors: { default: { default: '#242424', subtle: '#616161' } } },
  },
  actions: {
    maxActions: 6,
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 8 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
};

function page(cards: { id: string; name: string; locale: Locale; card: object }[]): string {
  // `<` is escaped so that no card text can close the script element.
  const data = JSON.stringify({ cards, hostConfig: TEAMS_HOST_CONFIG }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Codév cards</title>
<style>body{font-family:'Segoe UI',system-ui,sans-serif;background:#EBEBEB;margin:0;padding:16px}
.card{background:#fff;border-radius:6px;margin:0 0 24px;max-width:520px;box-shadow:0 1px 3px #0002}
h2{font-size:13px;color:#555;margin:0 0 4px}</style>
<script src="adaptivecards.min.js"></script></head><body>
<div id="cards"></div>
<script>
const { cards, hostConfig } = ${data};
const root = document.getElementById('cards');
// Our labels use no Markdown; escaping keeps the page quiet and shows text as Teams would.
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const div = document.createElement('div');
  div.textContent = text;
  result.outputHtml = div.innerHTML;
  result.didProcess = true;
};
let rendered = 0;
for (const entry of cards) {
  const title = document.createElement('h2');
  title.textContent = entry.name + ' · ' + entry.locale;
  const box = document.createElement('div');
  box.className = 'card';
  box.id = entry.id;
  root.append(title, box);
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  const context = new AdaptiveCards.SerializationContext();
  card.parse(entry.card, context);
  for (let i = 0; i < context.eventCount; i++) console.error(entry.id + ': ' + context.getEventAt(i).message);
  const element = card.render();
  if (element) { box.append(element); box.dataset.rendered = 'true'; rendered++; }
  else console.error(entry.id + ': not rendered');
}
document.body.dataset.expected = String(cards.length);
document.body.dataset.rendered = String(rendered);
</script></body></html>
`;
}

export function writePreview(): { cards: number } {
  const require = createRequire(import.meta.url);
  mkdirSync(path.join(OUT, 'teams'), { recursive: true });
  mkdirSync(path.join(OUT, 'slack'), { recursive: true });
  copyFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), path.join(OUT, 'adaptivecards.min.js'));
  const all: { id: string; name: string; locale: Locale; card: object }[] = [];
  for (const locale of LOCALES) {
    for (const entry of catalog(locale)) {
      const file = `${entry.name}.${locale}.json`;
      writeFileSync(path.join(OUT, 'teams', file), `${JSON.stringify(entry.card, null, 2)}\n`);
      const slack = entry.slack === 'modal' ? toSlackModal(entry.card, { locale }) : toSlackMessage(entry.card, { locale });
      writeFileSync(path.join(OUT, 'slack', file), `${JSON.stringify(slack, null, 2)}\n`);
      all.push({ id: `${entry.name}-${locale}`, name: entry.name, locale, card: entry.card });
    }
  }
  writeFileSync(path.join(OUT, 'index.html'), page(all));
  return { cards: all.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { cards } = writePreview();
  console.log(`Wrote ${cards} cards to ${path.relative(process.cwd(), OUT)}/index.html`);
}
