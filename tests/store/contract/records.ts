import { describe, expect, it } from 'vitest';
import type { StoreUnderTest } from '../../support/stores.js';
import { useStore } from './context.js';

const LATER = '2099-01-01T00:00:00.000Z';

export function recordsContract(subject: StoreUnderTest): void {
  describe('cards, chats and links', () => {
    const ctx = useStore(subject);

    it('keeps one live card per view of a group, replaced by the next', async () => {
      await ctx.store.setLiveCard({ groupId: 'g1', view: 'plan' }, 'm-plan');
      await ctx.store.setLiveCard({ groupId: 'g1', view: 'step', meetingId: 'a' }, 'm-a1');
      await ctx.store.setLiveCard({ groupId: 'g1', view: 'step', meetingId: 'a' }, 'm-a2');
      await ctx.store.setLiveCard({ groupId: 'g2', view: 'plan' }, 'other');
      expect(await ctx.store.liveCard({ groupId: 'g1', view: 'plan' })).toBe('m-plan');
      expect(await ctx.store.liveCard({ groupId: 'g1', view: 'step', meetingId: 'a' })).toBe('m-a2');
      expect(await ctx.store.liveCard({ groupId: 'g1', view: 'step', meetingId: 'b' })).toBeUndefined();
      expect(await ctx.store.liveCard({ groupId: 'g1', view: 'step' })).toBeUndefined();
    });

    it('lists a meeting’s posted cards in posting order, each once', async () => {
      await ctx.store.recordPostedCard('g1', 'a', { messageId: '300', step: 0 });
      await ctx.store.recordPostedCard('g1', 'a', { messageId: '100', step: 1 });
      await ctx.store.recordPostedCard('g1', 'a', { messageId: '300', step: 2 });
      await ctx.store.recordPostedCard('g1', 'a', { messageId: '200' });
      await ctx.store.recordPostedCard('g1', 'b', { messageId: '900', step: 0 });
      expect(await ctx.store.listPostedCards('g1', 'a')).toEqual([
        { messageId: '300', step: 0 },
        { messageId: '100', step: 1 },
        { messageId: '200' },
      ]);
      expect(await ctx.store.listPostedCards('g1', 'b')).toEqual([{ messageId: '900', step: 0 }]);
      expect(await ctx.store.listPostedCards('g2', 'a')).toEqual([]);
    });

    it('lists the summaries sent privately for a meeting, each once, with their view', async () => {
      const view = { name: 'clientSummary', meetingId: 'a' } as const;
      await ctx.store.recordPrivateSummary('g1', 'a', { userId: 'u1', view, messageId: 'p1' });
      await ctx.store.recordPrivateSummary('g1', 'a', { userId: 'u2', view: { name: 'learnings', meetingId: 'a', userId: 'u2' }, messageId: 'p2' });
      await ctx.store.recordPrivateSummary('g1', 'a', { userId: 'u1', view, messageId: 'p1' });
      expect(await ctx.store.listPrivateSummaries('g1', 'a')).toEqual([
        { userId: 'u1', view, messageId: 'p1' },
        { userId: 'u2', view: { name: 'learnings', meetingId: 'a', userId: 'u2' }, messageId: 'p2' },
      ]);
      expect(await ctx.store.listPrivateSummaries('g1', 'b')).toEqual([]);
    });

    it('remembers who was invited to which group’s ethics code', async () => {
      await ctx.store.recordEthicsInvitation('g1', 'hash-a');
      await ctx.store.recordEthicsInvitation('g1', 'hash-a');
      expect(await ctx.store.wasInvitedToEthics('g1', 'hash-a')).toBe(true);
      expect(await ctx.store.wasInvitedToEthics('g2', 'hash-a')).toBe(false);
      expect(await ctx.store.wasInvitedToEthics('g1', 'hash-b')).toBe(false);
    });

    it('keeps one direct channel per person and platform, replaced by the next', async () => {
      await ctx.store.setDirectChannel('slack', 'T1', 'U1', { conversationId: 'D1' });
      await ctx.store.setDirectChannel('teams', 'T1', 'U1', { conversationId: 'a:1', serviceUrl: 'https://smba.example/emea/' });
      await ctx.store.setDirectChannel('teams', 'T1', 'U1', { conversationId: 'a:2', serviceUrl: 'https://smba.example/amer/' });
      expect(await ctx.store.directChannel('slack', 'T1', 'U1')).toEqual({ conversationId: 'D1' });
      expect(await ctx.store.directChannel('teams', 'T1', 'U1')).toEqual({ conversationId: 'a:2', serviceUrl: 'https://smba.example/amer/' });
      expect(await ctx.store.directChannel('slack', 'T2', 'U1')).toBeUndefined();
    });

    it('records 600 direct channels asked for at once, the last given for a person winning', async () => {
      const people = Array.from({ length: 600 }, (_, i) => `U${i}`);
      const given = people.map((userId) => ({ userId, conversationId: `D-${userId}` }));
      given.splice(10, 0, { userId: 'U7', conversationId: 'D-again' });
      await Promise.all(given.map(({ userId, conversationId }) => ctx.store.setDirectChannel('slack', 'T1', userId, { conversationId })));
      expect(await ctx.store.directChannel('slack', 'T1', 'U0')).toEqual({ conversationId: 'D-U0' });
      expect(await ctx.store.directChannel('slack', 'T1', 'U599')).toEqual({ conversationId: 'D-U599' });
      expect(await ctx.store.directChannel('slack', 'T1', 'U7')).toEqual({ conversationId: 'D-again' });
    });

    it('records a direct channel asked for just before the store closes', async () => {
      const recorded = ctx.store.setDirectChannel('slack', 'T1', 'U1', { conversationId: 'D1' });
      await ctx.store.close();
      await recorded;
      expect(await ctx.fixture.reopen().directChannel('slack', 'T1', 'U1')).toEqual({ conversationId: 'D1' });
    });

    it('keeps one reference per conversation, replaced by the next', async () => {
      const conversation = { platform: 'teams', tenantId: 'tenant-1', channelId: '19:abc@thread.tacv2' } as const;
      const ref = { serviceUrl: 'https://smba.example/emea/', conversationId: '19:abc@thread.tacv2', tenantId: 'tenant-1', botId: '28:bot' };
      await ctx.store.setConversationReference(conversation, ref);
      expect(await ctx.store.conversationReference(conversation)).toEqual(ref);
      const moved = { ...ref, serviceUrl: 'https://smba.example/amer/', conversationType: 'channel' };
      await ctx.store.setConversationReference(conversation, moved);
      expect(await ctx.store.conversationReference(conversation)).toEqual(moved);
      expect(await ctx.store.conversationReference({ ...conversation, channelId: '19:other' })).toBeUndefined();
    });

    it('finds a link token by kind and hash until it is deleted; expired ones go as new ones come', async () => {
      const grant = { platform: 'slack', userId: 'U1' };
      await ctx.store.saveLinkToken('export', 'h1', { grant, expiresAt: '2099-01-01T01:00:00+01:00' });
      expect(await ctx.store.findLinkToken('export', 'h1')).toEqual({ grant, expiresAt: LATER });
      expect(await ctx.store.findLinkToken('programme', 'h1')).toBeUndefined();
      await ctx.store.saveLinkToken('programme', 'old', { grant: { locale: 'fr' }, expiresAt: '2000-01-01T00:00:00.000Z' });
      await ctx.store.saveLinkToken('programme', 'h2', { grant: { locale: 'en' }, expiresAt: LATER });
      expect(await ctx.store.findLinkToken('programme', 'old')).toBeUndefined();
      await ctx.store.deleteLinkToken('export', 'h1');
      expect(await ctx.store.findLinkToken('export', 'h1')).toBeUndefined();
      expect(await ctx.store.findLinkToken('programme', 'h2')).toEqual({ grant: { locale: 'en' }, expiresAt: LATER });
    });

    it('keeps a group’s calendar seed and the group each token hash opens', async () => {
      await ctx.store.setCalendarSeed('g1', { seed: 's1', active: true });
      await ctx.store.setCalendarToken('t1', 'g1');
      expect(await ctx.store.calendarSeed('g1')).toEqual({ seed: 's1', active: true });
      expect(await ctx.store.calendarTokenGroup('t1')).toBe('g1');
      await ctx.store.deleteCalendarToken('t1');
      await ctx.store.setCalendarSeed('g1', { seed: 's2', active: false });
      expect(await ctx.store.calendarSeed('g1')).toEqual({ seed: 's2', active: false });
      expect(await ctx.store.calendarTokenGroup('t1')).toBeUndefined();
      expect(await ctx.store.calendarSeed('g2')).toBeUndefined();
    });

    it('keeps the first secret written under a name, even when replicas write at once', async () => {
      const other = ctx.fixture.reopen();
      const written = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : ctx.store).secret('calendar', `candidate-${i}`)));
      expect(new Set(written).size).toBe(1);
      expect(await ctx.store.secret('calendar', 'late')).toBe(written[0]);
      expect(await ctx.store.secret('another', 'own')).toBe('own');
    });

    it('loses no posted card when two replicas record cards of one meeting at once', async () => {
      const other = ctx.fixture.reopen();
      const ids = Array.from({ length: 50 }, (_, i) => `ts-${i}`);
      await Promise.all(ids.map((id, i) => (i % 2 ? other : ctx.store).recordPostedCard('g1', 'a', { messageId: id, step: 1 })));
      const cards = await ctx.store.listPostedCards('g1', 'a');
      expect(cards).toHaveLength(50);
      expect(new Set(cards.map((card) => card.messageId))).toEqual(new Set(ids));
    });

    it('loses no private summary when two replicas record them for one meeting at once', async () => {
      const other = ctx.fixture.reopen();
      const view = { name: 'learnings', meetingId: 'a', userId: 'u2' } as const;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? other : ctx.store).recordPrivateSummary('g1', 'a', { userId: `u${i}`, view, messageId: `p${i}` }),
        ),
      );
      expect(await ctx.store.listPrivateSummaries('g1', 'a')).toHaveLength(50);
    });
  });
}
