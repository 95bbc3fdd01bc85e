import type {
  AttendanceStatus,
  Calendar,
  ConversationKey,
  Group,
  Locale,
  ReminderKind,
  ReminderSetting,
  StepIndex,
  SuggestionKind,
  TopicKind,
  UserId,
} from './types.js';
import type { ThirdPartyKind } from './third-party-data.js';

export type AbsentClientChoice = 'swap' | 'postpone';

/** Who issues a command. The adapter resolves the display name from the platform. */
export interface Actor {
  userId: UserId;
  displayName: string;
}

export interface NewMember {
  userId: UserId;
  displayName: string;
}

/**
 * On a command carrying free text: the person saw what the third-party data guard found in
 * it and chose to send it anyway. A refused kind (a NIR) is refused all the same.
 */
export interface Written {
  confirmedThirdPartyData?: true;
}

/**
 * Everything a person (or the scheduler) can ask of a group.
 * Ids of new items are derived by the engine, so commands stay replayable.
 */
export type Command =
  /** `retentionDays` comes from the deployment's configuration (RETENTION_DAYS), never from a card. */
  | { type: 'setup'; groupId: string; name: string; conversation: ConversationKey; locale: Locale; calendar: Calendar; retentionDays?: number }
  /**
   * Joining is accepting the ethics code: only the code's "I accept" button sends it, so no
   * one becomes a member without having been shown the code.
   */
  | { type: 'acceptEthics' }
  | { type: 'addMembers'; members: NewMember[] }
  | { type: 'removeMember'; userId: UserId }
  | { type: 'updateCalendar'; calendar: Partial<Calendar> }
  | { type: 'swapClients'; meetingA: string; meetingB: string }
  | { type: 'moveMeeting'; meetingId: string; startsAtLocal: string }
  | { type: 'cancelMeeting'; meetingId: string }
  | { type: 'setReminder'; kind: ReminderKind; setting: Partial<ReminderSetting> }
  | { type: 'setStepMinutes'; step: StepIndex; minutes: number }
  | { type: 'shareAbsentNames'; shared: boolean }
  /** Names the deputy; without `userId`, the group has none. */
  | { type: 'setDeputy'; userId?: UserId }
  /** The animateur offers the role for good; it changes hands once the member accepts. */
  | { type: 'proposeHandover'; userId: UserId }
  | { type: 'answerHandover'; accepted: boolean }
  | { type: 'setAttendance'; meetingId: string; userId: UserId; status: AttendanceStatus }
  /**
   * The client is marked absent or excused: the animateur swaps them with the next client
   * who has prepared a topic, or postpones them to a new meeting at the end of the year.
   */
  | { type: 'absentClient'; meetingId: string; choice: AbsentClientChoice }
  | ({ type: 'saveTopic'; kind: TopicKind; title: string; context: string; question: string } & Written)
  | { type: 'start' }
  /** `from` is the step the animateur saw; a move from any other step is refused as stale. */
  | { type: 'next'; from?: StepIndex }
  | { type: 'back'; from?: StepIndex }
  | { type: 'end' }
  | ({ type: 'giveFollowUp'; text: string } & Written)
  | ({ type: 'askQuestion'; text: string } & Written)
  | ({ type: 'writeContract'; text: string } & Written)
  | { type: 'answerContract'; version: number; stance: 'agree' | 'discuss' }
  | { type: 'recordAgreement'; consultantId: UserId; version: number }
  | ({ type: 'suggest'; kind: SuggestionKind; text: string } & Written)
  | { type: 'keepSuggestion'; suggestionId: string; kept: boolean }
  | ({ type: 'addAction'; text: string; due?: string } & Written)
  | { type: 'removeAction'; actionId: string }
  | ({ type: 'addLearning'; text: string; shared: boolean } & Written)
  | ({ type: 'evaluate'; rating: 1 | 2 | 3 | 4 | 5; comment?: string } & Written)
  /** From the step timer: the current step's time is up. */
  | { type: 'timeUp'; meetingId: string; step: StepIndex }
  /** GDPR: erase what the actor wrote in this group. */
  | { type: 'forget' }
  /** Retention: purge all content once the period after the last meeting has passed. */
  | { type: 'purge' };

export type CommandType = Command['type'];

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

/** A field of a command's free text, as the guard names it. */
export type WrittenField = 'title' | 'context' | 'question' | 'text' | 'comment';

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
  /** The reminder plan may have changed: re-sync the outbox. */
  | { type: 'replan' }
  /** The answer to the person who issued the command, shown to them alone. */
  | { type: 'reply'; view: View };

export type Decision = { ok: true; group: Group; effects: Effect[] } | { ok: false; refusal: Refusal };
