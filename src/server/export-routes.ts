import { Router } from 'express';
import type { PersonalDataExports } from '../app/personal-data.js';
import type { Logger } from './logger.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** `GET /export/:token.json`: the one-time download behind the `export` command. */
export function exportRoutes(exports: PersonalDataExports, logger: Logger): Router {
  const router = Router();
  router.get('/export/:file', async (req, res) => {
    const token = req.params.file.replace(/\.json$/, '');
    const data = TOKEN.test(token) ? await exports.redeem(token) : undefined;
    if (!data) {
      res.status(404).json({ error: 'not_found', message: 'This link is unknown or has expired: ask the bot for a new one with "export".' });
      return;
    }
    if (data.unreadableGroups.length > 0) logger.error({ groupIds: data.unreadableGroups }, 'export: groups not read');
    logger.info({}, 'personal data exported');
    res.setHeader('Content-Disposition', 'attachment; filename="codev-export.json"');
    res.setHeader('Cache-Control', 'no-store');
    res.json(data);
  });
  return router;
}
