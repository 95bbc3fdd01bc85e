import { DateTime } from 'luxon';
import { t, type Params } from '../cards/i18n.js';
import type { Locale } from '../engine/types.js';
import { ratingsChart, yearChart } from './chart.js';
import { MIN_EVALUATIONS, type GroupFigures, type ProgrammeFigures, type Ratings } from './figures.js';

// The programme's page: server-rendered HTML with its style inline and no script at all.
// Every text a person reads comes from the locale files; every value is escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: string | number) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#4a4a4a;--line:#c9c9c9;--accent:#1f5f8b;--bg:#fff;--soft:#f3f6f8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--accent);padding-bottom:.25rem}
p.note{color:var(--muted)}
a{color:var(--accent)}
a:focus,summary:focus{outline:3px solid #f2a900;outline-offset:2px}
dl.kpi{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0}
dl.kpi div{background:var(--soft);border-radius:8px;padding:10px 12px}
dl.kpi dt{font-size:.85rem;color:var(--muted)}
dl.kpi dd{margin:0;font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
details{margin:.5rem 0;border:1px solid var(--line);border-radius:8px;padding:.25rem .75rem}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}
figure{margin:1rem 0}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-weight:600;margin-bottom:.25rem}
ul.downloads{padding-left:1.2rem}
footer{margin-top:2rem;padding-bottom:2rem;color:var(--muted);font-size:.9rem}
@media (max-width:700px){
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.stack,table.stack caption,table.stack tbody,table.stack tfoot,table.stack tr,table.stack th,table.stack td{display:block;width:100%}
  table.stack tr{border:1px solid var(--line);border-radius:8px;margin:0 0 12px;padding:4px 8px}
  table.stack th[scope=row]{font-size:1.05rem;border-bottom:1px solid var(--line)}
  table.stack td{display:flex;justify-content:space-between;gap:12px;border:0;padding:3px 0;text-align:right}
  table.stack td::before{content:attr(data-label);color:var(--muted);text-align:left}
}
`;

export interface PageOptions {
  locale: Locale;
  now: Date;
  /** When the downloads stop working. */
  expiresAt: Date;
  /** Links to the downloads, relative to the page. */
  csvHref: string;
  jsonHref: string;
}

export async function renderProgrammePage(figures: ProgrammeFigures, options: PageOptions): Promise<string> {
  const { locale } = options;
  // Hundreds of groups repeat the same labels and dates: each is worked out once per page.
  const labelCache = new Map<string, string>();
  const l = (key: string, params: Params = {}) => {
    const id = `${key}\u0000${Object.values(params).join('\u0000')}`;
    let text = labelCache.get(id);
    if (text === undefined) labelCache.set(id, (text = esc(t(locale, `programme.${key}`, params))));
    return text;
  };
  const dates = new Map<string, string>();
  const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)} %`);
  const date = (local: string | null) => {
    if (local === null) return l('noNextMeeting');
    const day = local.slice(0, 10);
    let text = dates.get(day);
    if (text === undefined) dates.set(day, (text = esc(DateTime.fromISO(day, { zone: 'UTC' }).setLocale(locale).toFormat('d LLL yyyy'))));
    return text;
  };
  const chartLabels = {
    month: t(locale, 'programme.month'),
    held: t(locale, 'programme.heldAxis'),
    attendance: t(locale, 'programme.attendanceAxis'),
    period: t(locale, 'programme.period'),
    meanRating: t(locale, 'programme.meanRating'),
  };
  const [year, ratings] = await Promise.all([
    figures.months.length > 0 ? yearChart(figures, locale, chartLabels) : Promise.resolve(''),
    figures.ratingsOverTime.length > 0 ? ratingsChart(figures, locale, chartLabels) : Promise.resolve(''),
  ]);
  const labelled = (label: string, value: string, numeric = false) => `<td${numeric ? ' class="n"' : ''} data-label="${label}">${value}</td>`;
  const cell = (key: string, value: string, numeric = false) => labelled(l(key), value, numeric);
  const { totals } = figures;
  const generated = l('generated', {
    date: DateTime.fromJSDate(options.now).setLocale(locale).toFormat('d LLLL yyyy'),
    time: DateTime.fromJSDate(options.expiresAt).setZone('Europe/Paris').setLocale(locale).toFormat('HH:mm'),
  });

  const groupRow = (g: GroupFigures) =>
    `<tr><th scope="row">${esc(g.name)}</th>${[
      cell('platform', esc(g.platform === 'teams' ? 'Teams' : 'Slack')),
      cell('animateur', esc(g.animateurName)),
      cell('members', esc(g.members), true),
      cell('cadence', l('cadenceWeeks', { weeks: g.cadenceWeeks })),
      cell('planned', esc(g.meetings.planned), true),
      cell('held', esc(g.meetings.held), true),
      cell('cancelled', esc(g.meetings.cancelled), true),
      cell('toCome', esc(g.meetings.toCome), true),
      cell('nextMeeting', date(g.nextMeetingLocal)),
      cell('everyClient', l(g.everyMemberClient ? 'everyClientYes' : 'everyClientNo')),
    ].join('')}</tr>`;

  const attendanceRow = (name: string, a: { present: number; excused: number; absent: number; rate: number | null }) =>
    `<tr><th scope="row">${name}</th>${cell('present', esc(a.present), true)}${cell('excused', esc(a.excused), true)}${cell('absent', esc(a.absent), true)}${cell('rate', percent(a.rate), true)}</tr>`;

  const meetingsOf = (g: GroupFigures) => {
    if (g.attendance.meetings.length === 0) return `<p class="note">${l('noHeldMeeting')}</p>`;
    const named = g.attendance.meetings.some((m) => m.absentNames !== undefined);
    const rows = g.attendance.meetings
      .map(
        (m) =>
          `<tr><th scope="row">${esc(m.number)}</th>${cell('date', date(m.startsAtLocal))}${cell('present', esc(m.present), true)}${cell('excused', esc(m.excused), true)}${cell('absent', esc(m.absent), true)}${named ? cell('absentNames', esc((m.absentNames ?? []).join(', ') || '–')) : ''}</tr>`,
      )
      .join('');
    return `<table class="stack"><caption>${l('meetingsCaption', { group: g.name })}</caption><thead><tr><th scope="col">${l('meeting')}</th><th scope="col">${l('date')}</th><th scope="col" class="n">${l('present')}</th><th scope="col" class="n">${l('excused')}</th><th scope="col" class="n">${l('absent')}</th>${named ? `<th scope="col">${l('absentNames')}</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>`;
  };

  const ratingCells = (r: Ratings | null) =>
    r === null
      ? `<td colspan="6" data-label="${l('evaluations')}">${l('tooFew', { min: MIN_EVALUATIONS })}</td>`
      : r.map((n, i) => labelled(l('rating', { rating: i + 1 }), esc(n), true)).join('') +
        cell('evaluations', esc(r.reduce((a, b) => a + b, 0)), true);

  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${l('title')}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${l('title')}</h1>
<p>${l('intro')}</p>
<p class="note">${generated}</p>
</header>
<main>
<section aria-labelledby="summary">
<h2 id="summary">${l('summaryTitle')}</h2>
<dl class="kpi">
<div><dt>${l('groupsCount')}</dt><dd>${esc(totals.groups)}</dd></div>
<div><dt>${l('membersCount')}</dt><dd>${esc(totals.members)}</dd></div>
<div><dt>${l('meetingsHeld')}</dt><dd>${esc(totals.meetings.held)} / ${esc(totals.meetings.planned)}</dd></div>
<div><dt>${l('attendanceRate')}</dt><dd>${percent(totals.attendance.rate)}</dd></div>
</dl>
${figures.unreadableGroups.length > 0 ? `<p class="note">${l('unreadable', { count: figures.unreadableGroups.length })}</p>` : ''}
</section>
<section aria-labelledby="groups">
<h2 id="groups">${l('groupsTitle')}</h2>
<table class="stack" id="groups-table">
<caption>${l('groupsCaption')}</caption>
<thead><tr><th scope="col">${l('group')}</th><th scope="col">${l('platform')}</th><th scope="col">${l('animateur')}</th><th scope="col" class="n">${l('members')}</th><th scope="col">${l('cadence')}</th><th scope="col" class="n">${l('planned')}</th><th scope="col" class="n">${l('held')}</th><th scope="col" class="n">${l('cancelled')}</th><th scope="col" class="n">${l('toCome')}</th><th scope="col">${l('nextMeeting')}</th><th scope="col">${l('everyClient')}</th></tr></thead>
<tbody>${figures.groups.map(groupRow).join('')}</tbody>
</table>
</section>
<section aria-labelledby="attendance">
<h2 id="attendance">${l('attendanceTitle')}</h2>
<table class="stack" id="attendance-table">
<caption>${l('attendanceCaption')}</caption>
<thead><tr><th scope="col">${l('group')}</th><th scope="col" class="n">${l('present')}</th><th scope="col" class="n">${l('excused')}</th><th scope="col" class="n">${l('absent')}</th><th scope="col" class="n">${l('rate')}</th></tr></thead>
<tbody>${figures.groups.map((g) => attendanceRow(esc(g.name), g.attendance)).join('')}</tbody>
<tfoot>${attendanceRow(l('programmeRow'), totals.attendance)}</tfoot>
</table>
${figures.groups.map((g) => `<details><summary>${esc(g.name)}</summary>${meetingsOf(g)}</details>`).join('\n')}
</section>
<section aria-labelledby="ratings">
<h2 id="ratings">${l('ratingsTitle')}</h2>
<table class="stack" id="ratings-table">
<caption>${l('ratingsCaption', { min: MIN_EVALUATIONS })}</caption>
<thead><tr><th scope="col">${l('group')}</th>${[1, 2, 3, 4, 5].map((r) => `<th scope="col" class="n">${l('rating', { rating: r })}</th>`).join('')}<th scope="col" class="n">${l('evaluations')}</th></tr></thead>
<tbody>${figures.groups.map((g) => `<tr><th scope="row">${esc(g.name)}</th>${ratingCells(g.ratings)}</tr>`).join('')}</tbody>
<tfoot><tr><th scope="row">${l('programmeRow')}</th>${ratingCells(totals.ratings)}</tr></tfoot>
</table>
<p class="note">${l('mergedNote', { min: MIN_EVALUATIONS })}${totals.ratingsWithheld > 0 ? ` ${l('withheld', { count: totals.ratingsWithheld })}` : ''}</p>
</section>
<section aria-labelledby="charts">
<h2 id="charts">${l('chartTitle')}</h2>
<figure role="group" aria-labelledby="year-chart"><figcaption id="year-chart">${l('yearChart')}</figcaption>${accessibleSvg(year, t(locale, 'programme.yearChart'))}</figure>
<figure role="group" aria-labelledby="ratings-chart"><figcaption id="ratings-chart">${l('ratingsChart', { min: MIN_EVALUATIONS })}</figcaption>${ratings ? accessibleSvg(ratings, t(locale, 'programme.ratingsChart', { min: MIN_EVALUATIONS })) : `<p class="note">${l('noRatingsChart')}</p>`}</figure>
</section>
<section aria-labelledby="downloads">
<h2 id="downloads">${l('downloadsTitle')}</h2>
<ul class="downloads">
<li><a href="${esc(options.csvHref)}" download>${l('csv')}</a></li>
<li><a href="${esc(options.jsonHref)}" download>${l('json')}</a></li>
</ul>
<p class="note">${l('downloadsNote')}</p>
</section>
</main>
<footer><p>${esc(t(locale, 'common.appName'))}</p></footer>
</body>
</html>`;
}

/** The chart as one image for screen readers: its figures are in the tables above. */
function accessibleSvg(svg: string, label: string): string {
  if (svg === '') return '';
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${esc(label)}" `);
}

/** The page shown for a link that no longer opens: says why and what to do. */
export function renderLinkRefused(state: 'used' | 'expired' | 'unknown', locale: Locale): string {
  const key = state === 'used' ? 'linkUsed' : state === 'expired' ? 'linkExpired' : 'linkUnknown';
  const title = esc(t(locale, `programme.${key}Title`));
  return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head>
<body><main><h1>${title}</h1><p>${esc(t(locale, `programme.${key}`))}</p></main></body>
</html>`;
}
