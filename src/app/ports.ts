import type { ConversationKey, Locale, Platform, UserId } from '../engine/types.js';

/** A filled Adaptive Card 1.5: Teams posts it as is, Slack translates it to Block Kit. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };

/** What a chat platform shows: a card plus the plain text for notifications and screen readers. */
export interface CardMessage {
  card: AdaptiveCard;
  /** Short plain text; never user-written content. */
  summary: string;
  /**
   * On a channel card whose buttons differ by person: everyone who gets their own version
   * of it, as the service decided. An adapter whose platform fetches each person's version
   * (Teams' refresh) asks for theirs; one that shows personal buttons another way ignores it.
   */
  viewers?: readonly UserId[];
}

/**
 * The only way the service talks to a chat platform. Each adapter implements it over its
 * SDK; tests implement it over fakes of the platform's API.
 */
export interface ChatPort {
  readonly platform: Platform;
  /** Posts in the group's channel and returns the platform's id of the new message. */
  post(conversation: ConversationKey, message: CardMessage): Promise<string>;
  /** Replaces a message the bot posted earlier. */
  update(conversation: ConversationKey, messageId: string, message: CardMessage): Promise<void>;
  /**
   * Sends a private (1:1) message to one person of the conversation's workspace and returns
   * the platform's id of the new message.
   */
  sendPrivate(conversation: ConversationKey, userId: UserId, message: CardMessage): Promise<string>;
  /** Replaces a private message the bot sent this person earlier. */
  updatePrivate(conversation: ConversationKey, userId: UserId, messageId: string, message: CardMessage): Promise<void>;
  /**
   * The 1:1 conversation the bot keeps with this person in the conversation's workspace or
   * tenant, if it ever wrote to them there: personal data, so it goes in their export.
   */
  privateChat?(conversation: ConversationKey, userId: UserId): Promise<PrivateChat | undefined>;
}

/** A person's 1:1 conversation with the bot, as the platform names it. */
export interface PrivateChat {
  platform: Platform;
  tenantId: string;
  conversationId: string;
}

/** Who asked, where, as the adapter resolved it from the platform's request. */
export interface Requester {
  conversation: ConversationKey;
  userId: UserId;
  displayName: string;
  /** The person's language as the platform reports it, when known. */
  locale?: Locale;
  /** Asked in the person's 1:1 chat with the bot, which belongs to no group. */
  privateChat?: boolean;
}

/** The part of pino the service uses; messages are fixed strings, fields carry ids only. */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
