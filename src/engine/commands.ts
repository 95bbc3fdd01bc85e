import type { Group, StepIndex, UserId } from './types.js';
import type { ThirdPartyKind } from './third-party-data.js';
import type { WrittenField } from './registry.js';

export type { AbsentClientChoice, Command, CommandType, NewMember, Written, WrittenField } from './registry.js';

/** Who issues a command. The adapter resolves the display name from the platform. */
export interface Actor {
  userId: UserId;
  displayName: string;
}

/** Why a command was refused; each code has a message in the locale files. */
export type RefusalCode =
  | 'noGroup'
  | 'groupExists'
  | 'notAnimateur'
  | 'deputyNotInCharge'
  | 'deputyIsClient'
  | 'noHandover'
  | 'notClient'
  | 'notConsultant'
  | 'notMember'
  | 'notParticipant'
  | 'ethicsNotAccepted'
  | 'alreadyMember'
  | 'tooManyMembers'
  | 'tooFewMembers'
  | 'animateurCannotBeMember'
  | 'unknownMember'
  | 'unknownMeeting'
  | 'meetingNotPlanned'
  | 'noMeetingRunning'
  | 'meetingRunning'
  | 'noUpcomingMeeting'
  | 'wrongStep'
  | 'staleStep'
  | 'alreadyMoved'
  | 'firstStep'
  | 'contractMissing'
  | 'contractNotAgreed'
  | 'staleContract'
  | 'unknownSuggestion'
  | 'unknownAction'
  | 'clientTwiceBeforeAll'
  | 'clientNotAbsent'
  | 'noPreparedClient'
  | 'caseStarted'
  | 'alreadyWithoutCase'
  | 'invalidDate'
  | 'invalidCalendar'
  | 'emptyText'
  | 'textTooLong'
  | 'retentionNotOver'
  | 'notCoordinator'
  | 'conflict'
  /** The text holds a number that identifies a person in the health system (a NIR). */
  | 'thirdPartyData'
  /** The text seems to hold a third party's contact or identity: the person decides. */
  | 'confirmThirdPartyData';

export interface Refusal {
  code: RefusalCode;
  /** Values for the message template; never user-written content. */
  params?: Record<string, string | number>;
  /** What the third-party data guard found: kinds and ranges, never the text itself. */
  passages?: MarkedPassage[];
}

export interface MarkedPassage {
  field: WrittenField;
  kind: ThirdPartyKind;
  /** Range in the field's text, `end` excluded. */
  start: number;
  end: number;
}

/** What the adapters should show; the card layer turns a view into a card. */
export type View =
  | { name: 'welcome' }
  /** The ethics code with its accept button, for one person. */
  | { name: 'ethics' }
  /** The confirmation a new member reads: their turn as client and the next meeting. */
  | { name: 'joined'; userId: UserId }
  | { name: 'plan' }
  /**
   * A meeting's step card. Without `step`, its live card (the current step, or the ended
   * meeting); with `step`, the card the meeting posted for that step and has since left
   * behind: that step as it stood, with no buttons.
   */
  | { name: 'step'; meetingId: string; step?: StepIndex }
  /** The channel's note that a meeting is over. */
  | { name: 'meetingClosed'; meetingId: string }
  | { name: 'nudge'; meetingId: string; step: StepIndex }
  | { name: 'clientSummary'; meetingId: string }
  | { name: 'learnings'; meetingId: string; userId: UserId }
  | { name: 'evaluationSummary'; meetingId: string }
  | { name: 'sizeWarning'; count: number }
  /** The offer to become the group's animateur, with its accept and decline buttons. */
  | { name: 'handoverOffer' }
  /** What became of the offer `by` the animateur, for them and for `userId`, who answered. */
  | { name: 'handoverAnswer'; accepted: boolean; userId: UserId; by: UserId };

export type Effect =
  /** Post a new card in the group's channel. */
  | { type: 'post'; view: View }
  /** Update the live card of this view in place (posting it if there is none yet). */
  | { type: 'refresh'; view: View }
  /** Send a card privately to one person. */
  | { type: 'private'; userId: UserId; view: View }
  /** The answer to the person who issued the command, shown to them alone. */
  | { type: 'reply'; view: View };

export type Decision = { ok: true; group: Group; effects: Effect[] } | { ok: false; refusal: Refusal };
