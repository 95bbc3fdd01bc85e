import type { Command, MarkedPassage, Refusal, View } from '../engine/commands.js';
import type { Group, Locale, PlannedReminder, UserId } from '../engine/types.js';
import type { CardMessage } from './ports.js';

export interface PresentContext {
  /** The person the card is for; without one, the card is the channel's, for everyone. */
  viewer?: UserId;
  locale: Locale;
  now: Date;
}

export type FormName = 'setup' | 'topic' | 'forgetConfirm';
export type NoticeName = 'forgotten';

/** Turns the group's state into the cards people see. Implemented over src/cards. */
export interface Presenter {
  view(group: Group, view: View, ctx: PresentContext): CardMessage;
  refusal(refusal: Refusal, locale: Locale): CardMessage;
  /** The person's own text with what the third-party data guard found marked, and their choices. */
  thirdPartyCheck(check: { groupId: string; meetingId?: string; command: Command; passages: MarkedPassage[] }, locale: Locale): CardMessage;
  help(group: Group | undefined, ctx: PresentContext): CardMessage;
  form(name: FormName, group: Group | undefined, ctx: PresentContext): CardMessage;
  notice(name: NoticeName, ctx: PresentContext): CardMessage;
  exportLink(url: string, ctx: PresentContext): CardMessage;
  programmeLink(url: string, ctx: PresentContext): CardMessage;
  reminder(group: Group, reminder: Pick<PlannedReminder, 'kind' | 'meetingId'>, ctx: PresentContext): CardMessage;
}
