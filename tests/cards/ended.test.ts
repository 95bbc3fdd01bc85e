import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/cards/views.js';
import { makeGroup, NOW } from '../../scripts/cards/sample-groups.js';

describe('the card of an ended meeting', () => {
  const group = makeGroup({ step: 6 });
  const run = group.runs.m2!;
  run.endedAt = NOW.toISOString();
  group.meetings.find((meeting) => meeting.id === 'm2')!.status = 'done';

  it('offers no button and no input to anyone, and says the meeting has ended', () => {
    for (const viewer of [undefined, 'anim', 'u2', 'u3']) {
      const card = JSON.stringify(renderView(group, { name: 'step', meetingId: 'm2' }, { locale: 'fr', now: NOW, ...(viewer ? { viewer } : {}) }));
      expect(card).not.toContain('Action.Execute');
      expect(card).not.toContain('"Input.');
      expect(card).toContain('Séance terminée');
    }
  });

  it('still shows the live card of a running meeting with its controls', () => {
    const running = makeGroup({ step: 6 });
    const card = JSON.stringify(renderView(running, { name: 'step', meetingId: 'm2' }, { locale: 'fr', now: NOW }));
    expect(card).toContain('Action.Execute');
  });

  it('says so on the card of a step the meeting has left, which keeps that step and offers no button', () => {
    const running = makeGroup({ step: 4 });
    for (const viewer of [undefined, 'anim', 'u2', 'u3']) {
      const card = JSON.stringify(
        renderView(running, { name: 'step', meetingId: 'm2', step: 2 }, { locale: 'fr', now: NOW, ...(viewer ? { viewer } : {}) }),
      );
      expect(card).toContain('Étape 2 sur 6');
      expect(card).toContain('Étape terminée');
      expect(card).not.toContain('Maintenant');
      expect(card).not.toContain('Action.');
      expect(card).not.toContain('"Input.');
    }
  });
});
