import { Router, type Response } from 'express';
import type { Locale } from '../engine/types.js';
import type { ProgrammeAccess } from '../programme/access.js';
import { programmeCsv, programmeJson } from '../programme/downloads.js';
import { renderLinkRefused, renderProgrammePage } from '../programme/page.js';
import type { Logger } from './logger.js';

const FILE = /^([A-Za-z0-9_-]{43})(\.csv|\.json)?$/;

/** The link is a capability: it must not leak through a referrer, a cache or a frame. */
function privateHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
}

/**
 * `GET /programme/:token` (the page, once) and `GET /programme/:token.csv|.json` (the same
 * figures, for the link's hour), behind the coordinators' `programme` command.
 */
export function programmeRoutes(access: ProgrammeAccess, logger: Logger, clock: () => Date): Router {
  const router = Router();
  /** The figures, with a line naming by id the groups left out of them (an operator mends those). */
  const figuresOf = async () => {
    const figures = await access.figures();
    if (figures.unreadableGroups.length > 0) logger.error({ groupIds: figures.unreadableGroups }, 'programme: groups not read');
    return figures;
  };
  router.get('/programme/:file', async (req, res) => {
    privateHeaders(res);
    const lang: Locale | undefined = req.query.lang === 'en' || req.query.lang === 'fr' ? req.query.lang : undefined;
    const match = FILE.exec(req.params.file);
    const token = match?.[1] ?? '';
    const extension = match?.[2];
    if (extension) {
      const download = await access.openDownload(token);
      if (download.state !== 'valid') {
        res
          .status(download.state === 'expired' ? 410 : 404)
          .type('html')
          .send(renderLinkRefused(download.state, lang ?? 'fr'));
        return;
      }
      const figures = await figuresOf();
      logger.info({ groups: figures.groups.length, format: extension.slice(1) }, 'programme figures downloaded');
      if (extension === '.csv') {
        res.setHeader('Content-Disposition', 'attachment; filename="codev-programme.csv"');
        res.type('text/csv; charset=utf-8').send(`\uFEFF${programmeCsv(figures)}`);
      } else {
        res.setHeader('Content-Disposition', 'attachment; filename="codev-programme.json"');
        res.json(programmeJson(figures, clock()));
      }
      return;
    }
    const page = match ? await access.openPage(token) : { state: 'unknown' as const };
    if (page.state !== 'valid') {
      res
        .status(page.state === 'unknown' ? 404 : 410)
        .type('html')
        .send(renderLinkRefused(page.state, lang ?? 'fr'));
      return;
    }
    const figures = await figuresOf();
    const html = await renderProgrammePage(figures, {
      locale: lang ?? page.locale,
      now: clock(),
      expiresAt: page.expiresAt,
      csvHref: `${token}.csv`,
      jsonHref: `${token}.json`,
    });
    logger.info({ groups: figures.groups.length }, 'programme page shown');
    res.type('html').send(html);
  });
  return router;
}
