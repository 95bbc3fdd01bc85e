import type { Command } from '../engine/commands.js';
import { COMMANDS } from '../engine/registry.js';
import type { UserId } from '../engine/types.js';

/**
 * Things a person can ask that only read, or open a form. `ethics` shows the group's
 * ethics code to the person who typed `join`: only its accept button makes them a member.
 */
export type Query = 'help' | 'status' | 'plan' | 'setupForm' | 'topicForm' | 'forgetConfirm' | 'export' | 'ethics' | 'programme';

/** What an adapter hands to the service after parsing a platform request. */
export type Intent =
  /** `meetingId` is the meeting of the card clicked, checked against the group's running one. */
  | { kind: 'command'; command: Command; groupId?: string; meetingId?: string }
  /** `groupId` names the group when the request comes from elsewhere (a private chat). */
  | { kind: 'query'; query: Query; groupId?: string }
  /** A verb the bot does not know: answered with help. */
  | { kind: 'unknown' };

type Mentioned = { userId: UserId; displayName: string }[];

const ask = (query: Query) => (): Intent => ({ kind: 'query', query });
const act = (command: Command) => (): Intent => ({ kind: 'command', command });

/** `deputy none` (`adjoint aucun`) removes the deputy. */
const NO_ONE = new Set(['none', 'aucun', 'aucune', 'personne']);

/** `deputy @a` names the deputy; `deputy none` removes them. */
function deputy(words: string[], [first]: Mentioned): Intent {
  if (first) return { kind: 'command', command: { type: 'setDeputy', userId: first.userId } };
  const answer = words[1]?.toLowerCase();
  return answer !== undefined && NO_ONE.has(answer) ? { kind: 'command', command: { type: 'setDeputy' } } : { kind: 'unknown' };
}

/** `absents on|off` (oui|non): whether the programme's coordinators see who was absent. */
function absents(words: string[]): Intent {
  const answer = words[1]?.toLowerCase();
  if (answer === 'on' || answer === 'oui') return { kind: 'command', command: { type: 'shareAbsentNames', shared: true } };
  if (answer === 'off' || answer === 'non') return { kind: 'command', command: { type: 'shareAbsentNames', shared: false } };
  return { kind: 'unknown' };
}

/**
 * The verbs of SPEC section 4, with their French aliases (also without accents, and the
 * word a French speaker may type for one: `statut`), and what each becomes. Who may issue
 * a command is the engine's registry; a query answers anyone.
 */
// prettier-ignore
export const VERBS: Record<string, { aliases: string[]; intent: (words: string[], mentioned: Mentioned) => Intent }> = {
  help:      { aliases: ['aide'],                   intent: ask('help') },
  setup:     { aliases: ['créer', 'creer'],         intent: ask('setupForm') },
  join:      { aliases: ['rejoindre'],              intent: ask('ethics') },
  add:       { aliases: ['ajouter'],                intent: (_, mentioned) => ({ kind: 'command', command: { type: 'addMembers', members: mentioned } }) },
  remove:    { aliases: ['retirer'],                intent: (_, [first]) => (first ? { kind: 'command', command: { type: 'removeMember', userId: first.userId } } : { kind: 'unknown' }) },
  plan:      { aliases: ['planning'],               intent: ask('plan') },
  topic:     { aliases: ['sujet'],                  intent: ask('topicForm') },
  start:     { aliases: ['démarrer', 'demarrer'],   intent: act({ type: 'start' }) },
  next:      { aliases: ['suivant'],                intent: act({ type: 'next' }) },
  back:      { aliases: ['précédent', 'precedent'], intent: act({ type: 'back' }) },
  status:    { aliases: ['état', 'etat', 'statut'], intent: ask('status') },
  end:       { aliases: ['clore'],                  intent: act({ type: 'end' }) },
  export:    { aliases: ['exporter'],               intent: ask('export') },
  forget:    { aliases: ['oublier'],                intent: ask('forgetConfirm') },
  deputy:    { aliases: ['adjoint'],                intent: deputy },
  handover:  { aliases: ['passer-la-main'],         intent: (_, [first]) => (first ? { kind: 'command', command: { type: 'proposeHandover', userId: first.userId } } : { kind: 'unknown' }) },
  programme: { aliases: ['program'],                intent: ask('programme') },
  absents:   { aliases: [],                         intent: absents },
};

const BY_WORD = new Map(Object.entries(VERBS).flatMap(([verb, entry]) => [verb, ...entry.aliases].map((word) => [word, entry] as const)));

/**
 * Turns the text after `/codev` (or after the bot's mention) into an intent.
 * `mentioned` are the users the platform says the text mentions (for add / remove),
 * the bot itself excluded.
 */
export function intentFromText(text: string, mentioned: Mentioned): Intent {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const word = words[0]?.toLowerCase().normalize('NFC');
  if (word === undefined) return { kind: 'query', query: 'help' };
  return BY_WORD.get(word)?.intent(words, mentioned) ?? { kind: 'unknown' };
}

/** The view a card answers with after a command: the registry's `answer` (the step card's status by default). */
export function answerOf(type: string): Query {
  return (COMMANDS as Record<string, { answer: Query } | undefined>)[type]?.answer ?? 'status';
}
