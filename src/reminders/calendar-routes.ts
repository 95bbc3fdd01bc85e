import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../app/ports.js';
import type { Store } from '../store/types.js';
import { groupCalendar } from './calendar.js';
import type { CalendarTokens } from './calendar-tokens.js';

export interface CalendarRouteDeps {
  store: Pick<Store, 'getGroup'>;
  tokens: CalendarTokens;
  logger: Logger;
}

const TokenParam = z.object({ token: z.string().max(100) });

/** Path of a group's calendar file; the base URL comes from the configuration (PUBLIC_URL). */
export function calendarPath(token: string): string {
  return `/calendar/${token}.ics`;
}

/**
 * `GET /calendar/:token.ics`: the group's calendar for calendar apps. Unknown, revoked and
 * malformed tokens all get the same bare 404, so a guesser learns nothing.
 */
export function calendarRoutes(deps: CalendarRouteDeps): Router {
  const router = Router();
  router.get('/calendar/:token.ics', async (req: Request, res: Response) => {
    const parsed = TokenParam.safeParse(req.params);
    const groupId = parsed.success ? await deps.tokens.resolve(parsed.data.token) : undefined;
    const group = groupId === undefined ? undefined : (await deps.store.getGroup(groupId))?.group;
    if (!group) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="codev.ics"',
        // Only the holder of the link should keep a copy; the token must not leak onwards.
        'Cache-Control': 'private, max-age=300',
        'Referrer-Policy': 'no-referrer',
      })
      .send(groupCalendar(group));
    deps.logger.debug({ groupId: group.id }, 'calendar served');
  });
  return router;
}
