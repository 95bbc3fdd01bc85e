import type { Kysely } from 'kysely';
import type { ConversationKey, Platform, UserId } from '../engine/types.js';
import { fromDbDate, toDbDate } from './codec.js';
import type { Database } from './schema.js';
import * as records from './records.js';
import type {
  AuditEntry,
  CalendarSeed,
  ConversationReference,
  DirectChannel,
  LinkKind,
  LinkToken,
  LiveCardSlot,
  PostedCard,
  PrivateSummary,
} from './types.js';
import { TurnBatch } from './turn-batch.js';

/** DM channels recorded in one statement at most. */
const DIRECT_CHANNEL_BATCH = 500;

/** A line of the audit trail, written in the transaction of the change it records. */
export async function insertAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({ group_id: entry.groupId, action: entry.action, actor_hash: entry.actorHash ?? null, at: toDbDate(entry.at) })
    .execute();
}

/**
 * What the service remembers beside its groups (posted messages, chats, links, calendars,
 * secrets) and the audit trail, on the store's connection; KyselyStore adds the groups, the
 * outbox and the once-keys.
 */
export abstract class RecordStore {
  readonly #q = records.recordQueries();

  /**
   * DM channels learnt in the same turn are recorded in one statement: a dispatch learns one
   * with nearly every person's first reminder, thousands of commits otherwise.
   */
  readonly #directChannels = new TurnBatch<records.DirectChannelRow>((rows) => records.setDirectChannels(this.db, rows), DIRECT_CHANNEL_BATCH);

  constructor(
    protected readonly db: Kysely<Database>,
    /** Turns a json column's value back into a JS value (SQLite text, PostgreSQL jsonb). */
    private readonly decodeJson: (value: unknown) => unknown,
  ) {}

  setLiveCard(card: LiveCardSlot, messageId: string): Promise<void> {
    return records.setLiveCard(this.db, card, messageId);
  }

  liveCard(card: LiveCardSlot): Promise<string | undefined> {
    return records.liveCard(this.db, this.#q, card);
  }

  recordPostedCard(groupId: string, meetingId: string, card: PostedCard): Promise<void> {
    return records.recordPostedCard(this.db, groupId, meetingId, card);
  }

  listPostedCards(groupId: string, meetingId: string): Promise<PostedCard[]> {
    return records.listPostedCards(this.db, this.#q, groupId, meetingId);
  }

  recordPrivateSummary(groupId: string, meetingId: string, summary: PrivateSummary): Promise<void> {
    return records.recordPrivateSummary(this.db, groupId, meetingId, summary);
  }

  listPrivateSummaries(groupId: string, meetingId: string): Promise<PrivateSummary[]> {
    return records.listPrivateSummaries(this.db, this.decodeJson, groupId, meetingId);
  }

  recordEthicsInvitation(groupId: string, userHash: string): Promise<void> {
    return records.recordEthicsInvitation(this.db, groupId, userHash);
  }

  wasInvitedToEthics(groupId: string, userHash: string): Promise<boolean> {
    return records.wasInvitedToEthics(this.db, groupId, userHash);
  }

  setDirectChannel(platform: Platform, tenantId: string, userId: UserId, channel: DirectChannel): Promise<void> {
    return this.#directChannels.add({ platform, tenantId, userId, channel });
  }

  /** Settles once the records asked for so far are written (or failed), before the connection closes. */
  protected recordsWritten(): Promise<void> {
    return this.#directChannels.settled();
  }

  directChannel(platform: Platform, tenantId: string, userId: UserId): Promise<DirectChannel | undefined> {
    return records.directChannel(this.db, this.#q, platform, tenantId, userId);
  }

  setConversationReference(conversation: ConversationKey, reference: ConversationReference): Promise<void> {
    return records.setConversationReference(this.db, conversation, reference);
  }

  conversationReference(conversation: ConversationKey): Promise<ConversationReference | undefined> {
    return records.conversationReference(this.db, this.#q, conversation);
  }

  saveLinkToken(kind: LinkKind, tokenHash: string, token: LinkToken): Promise<void> {
    return records.saveLinkToken(this.db, kind, tokenHash, token);
  }

  findLinkToken(kind: LinkKind, tokenHash: string): Promise<LinkToken | undefined> {
    return records.findLinkToken(this.db, this.decodeJson, kind, tokenHash);
  }

  deleteLinkToken(kind: LinkKind, tokenHash: string): Promise<void> {
    return records.deleteLinkToken(this.db, kind, tokenHash);
  }

  setCalendarSeed(groupId: string, seed: CalendarSeed): Promise<void> {
    return records.setCalendarSeed(this.db, groupId, seed);
  }

  calendarSeed(groupId: string): Promise<CalendarSeed | undefined> {
    return records.calendarSeed(this.db, groupId);
  }

  setCalendarToken(tokenHash: string, groupId: string): Promise<void> {
    return records.setCalendarToken(this.db, tokenHash, groupId);
  }

  calendarTokenGroup(tokenHash: string): Promise<string | undefined> {
    return records.calendarTokenGroup(this.db, tokenHash);
  }

  deleteCalendarToken(tokenHash: string): Promise<void> {
    return records.deleteCalendarToken(this.db, tokenHash);
  }

  secret(name: string, candidate: string): Promise<string> {
    return records.secret(this.db, name, candidate);
  }

  async listAudit(groupId: string): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit').selectAll().where('group_id', '=', groupId).orderBy('id').execute();
    return rows.map((r) => ({
      groupId: r.group_id,
      action: r.action,
      ...(r.actor_hash === null ? {} : { actorHash: r.actor_hash }),
      at: fromDbDate(r.at),
    }));
  }
}
