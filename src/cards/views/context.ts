import type { Group, Locale, Meeting, MeetingRun, Role, StepIndex, UserId } from '../../engine/types.js';
import { deputyInCharge, findMeeting, roleOf, type StepRole } from '../../engine/selectors.js';
import { labels, t, type Params } from '../i18n.js';
import { formatLocalDate } from '../text.js';

export interface ViewContext {
  /** Who will see the card; without a viewer, the channel version for everyone. */
  viewer?: UserId;
  locale: Locale;
  now: Date;
  /** Where the group's .ics calendar can be downloaded, when the server exposes one. */
  calendarUrl?: string;
}

/**
 * What the viewer may do on this card. The channel version, which everyone sees, offers only
 * what every participant may do; each person's own buttons are on their own version.
 */
export interface Permissions {
  role: Role | undefined;
  animateur: boolean;
  /** Moves the steps and records attendance: the animateur, or the deputy in charge. */
  runs: boolean;
  client: boolean;
  consultant: boolean;
  participant: boolean;
}

export function permissions(group: Group, meetingId: string, viewer: UserId | undefined, now: Date): Permissions {
  if (viewer === undefined) {
    return { role: undefined, animateur: false, runs: false, client: false, consultant: false, participant: true };
  }
  const role = roleOf(group, viewer, meetingId);
  const meeting = findMeeting(group, meetingId);
  const deputyRuns = viewer === group.deputyId && meeting !== undefined && deputyInCharge(group, meeting, now);
  return {
    role,
    animateur: role === 'animateur',
    runs: role === 'animateur' || deputyRuns,
    client: role === 'client',
    consultant: role === 'consultant',
    participant: role !== 'outsider',
  };
}

/** Common labels plus the card's own section, as one `l` object for the template. */
export function cardLabels(locale: Locale, sections: string[], params: Params = {}): Record<string, string> {
  return Object.assign({}, labels(locale, 'common', params), ...sections.map((s) => labels(locale, s, params))) as Record<string, string>;
}

export function meetingTitle(meeting: Meeting, locale: Locale): string {
  return t(locale, 'common.meetingTitle', { number: meeting.number, date: formatLocalDate(meeting.startsAtLocal, locale) });
}

/**
 * All a step card shows of the person it is for: what they may do, what they do at this
 * step (on their own version; the channel's speaks to every role), and whether they are
 * the previous meeting's client giving the follow-up at the opening. People of the same
 * standing see the same card, so it is rendered once for all of them.
 */
export interface Standing {
  can: Permissions;
  stepRole: StepRole | undefined;
  previousClient: boolean;
}

export interface MeetingScope {
  group: Group;
  meeting: Meeting;
  run: MeetingRun;
  step: StepIndex;
  /** Without the viewer: what the card shows of them is in `standing`. */
  ctx: Omit<ViewContext, 'viewer'>;
  can: Permissions;
  standing: Standing;
}
