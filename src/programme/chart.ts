import { DateTime } from 'luxon';
import type { parse } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import type { Locale } from '../engine/types.js';
import { memo } from '../lib/memo.js';
import type { ProgrammeFigures } from './figures.js';

// The year's charts, drawn on the server as SVG by Vega-Lite (no canvas, no script in the
// page). Colours keep at least 4.5:1 against white.

const BAR = '#1f5f8b';
const LINE = '#8a3b12';
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

export interface ChartLabels {
  month: string;
  held: string;
  attendance: string;
  period: string;
  meanRating: string;
}

const monthLabel = (month: string, locale: Locale) => DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).setLocale(locale).toFormat('LLL yy');

const config = {
  font: FONT,
  axis: { labelColor: '#222', titleColor: '#222', labelFontSize: 12, titleFontSize: 12, gridColor: '#ddd' },
  view: { stroke: null },
};

/** Compiling and parsing a spec costs more than drawing it: each is done once per spec. */
const runtimes = memo<ReturnType<typeof parse>>(100);

/**
 * Vega and Vega-Lite load at the first chart drawn: the programme's page is read now and
 * then, and the two hold some 30 MiB that a service answering chat requests never uses.
 */
const vega = async () => {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  return { parse, View, compile };
};

async function toSvg(spec: TopLevelSpec, values: object[]): Promise<string> {
  const { parse, View, compile } = await vega();
  const runtime = runtimes(JSON.stringify(spec), () => parse(compile(spec).spec));
  const view = new View(runtime, { renderer: 'none' }).data('table', values);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Meetings held each month (bars) and the month's attendance rate (line). */
export function yearChart(figures: ProgrammeFigures, locale: Locale, labels: ChartLabels): Promise<string> {
  const values = figures.months.map((m) => ({
    month: monthLabel(m.month, locale),
    held: m.held,
    rate: m.rate === null ? null : Math.round(m.rate * 100),
  }));
  const x = { field: 'month', type: 'ordinal' as const, title: labels.month, sort: null, axis: { labelAngle: -45 } };
  return toSvg(
    {
      width: 560,
      height: 220,
      config,
      data: { name: 'table' },
      layer: [
        {
          mark: { type: 'bar', color: BAR },
          encoding: { x, y: { field: 'held', type: 'quantitative', title: labels.held, axis: { titleColor: BAR, tickMinStep: 1 } } },
        },
        {
          mark: { type: 'line', color: LINE, point: { color: LINE }, strokeWidth: 2 },
          encoding: {
            x,
            y: {
              field: 'rate',
              type: 'quantitative',
              title: labels.attendance,
              scale: { domain: [0, 100] },
              axis: { titleColor: LINE, orient: 'right' },
            },
          },
        },
      ],
      resolve: { scale: { y: 'independent' } },
    },
    values,
  );
}

/** The mean rating of each period (months merged until a period holds 3 evaluations). */
export function ratingsChart(figures: ProgrammeFigures, locale: Locale, labels: ChartLabels): Promise<string> {
  const values = figures.ratingsOverTime.map((p) => ({
    period: p.from === p.to ? monthLabel(p.from, locale) : `${monthLabel(p.from, locale)}–${monthLabel(p.to, locale)}`,
    mean: Math.round(p.mean * 10) / 10,
  }));
  return toSvg(
    {
      width: 560,
      height: 180,
      config,
      data: { name: 'table' },
      mark: { type: 'line', color: BAR, point: { color: BAR, size: 60 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'period', type: 'ordinal', title: labels.period, sort: null, axis: { labelAngle: -45 } },
        y: { field: 'mean', type: 'quantitative', title: labels.meanRating, scale: { domain: [1, 5] } },
      },
    },
    values,
  );
}
