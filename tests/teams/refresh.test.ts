import { describe, expect, it } from 'vitest';
import { MAX_REFRESH_USERS, REFRESH_VERB, withNotice, withRefresh } from '../../src/adapters/teams/refresh.js';
import type { AdaptiveCard } from '../../src/app/ports.js';

const card = (actions: object[]): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'ActionSet', actions }] });
const execute = (codev: object) => ({ type: 'Action.Execute', verb: 'x', data: { codev } });

describe('user-specific views (refresh)', () => {
  it('name the group’s people, at most the 60 Teams refreshes, with an Action.Execute of the refresh verb', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `29:user-${i}`);
    const refreshed = withRefresh(card([]), ids);
    expect(refreshed.refresh).toEqual({
      action: { type: 'Action.Execute', verb: REFRESH_VERB, data: { refresh: true } },
      userIds: ids.slice(0, MAX_REFRESH_USERS),
    });
    expect(withRefresh(card([]), [])).not.toHaveProperty('refresh');
  });

  it('put a refusal above the person’s own card, which keeps its buttons', () => {
    const refusal: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Seul l’animateur…' }] };
    const own = card([execute({ v: 1, g: 'g', m: 'm', c: { type: 'askQuestion' } })]);
    const shown = withNotice(own, refusal);
    expect(shown.body).toEqual([{ type: 'Container', style: 'attention', items: refusal.body }, ...(own.body as object[])]);
  });
});
