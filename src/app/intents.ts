import type { Command } from '../engine/commands.js';
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

/** The verbs of SPEC section 4, with their French aliases. */
const VERBS: Record<string, string> = {
  help: 'help',
  aide: 'help',
  setup: 'setup',
  créer: 'setup',
  creer: 'setup',
  join: 'join',
  rejoindre: 'join',
  add: 'add',
  ajouter: 'add',
  remove: 'remove',
  retirer: 'remove',
  plan: 'plan',
  planning: 'plan',
  topic: 'topic',
  sujet: 'topic',
  start: 'start',
  démarrer: 'start',
  demarrer: 'start',
  next: 'next',
  suivant: 'next',
  back: 'back',
  précédent: 'back',
  precedent: 'back',
  status: 'status',
  état: 'status',
  etat: 'status',
  end: 'end',
  clore: 'end',
  export: 'export',
  exporter: 'export',
  forget: 'forget',
  oublier: 'forget',
  programme: 'programme',
  program: 'programme',
  absents: 'absents',
  deputy: 'deputy',
  adjoint: 'deputy',
  handover: 'handover',
  'passer-la-main': 'handover',
};

export type Verb =
  | 'help'
  | 'setup'
  | 'join'
  | 'add'
  | 'remove'
  | 'plan'
  | 'topic'
  | 'start'
  | 'next'
  | 'back'
  | 'status'
  | 'end'
  | 'export'
  | 'forget'
  | 'programme'
  | 'absents'
  | 'deputy'
  | 'handover';

/** `deputy none` (`adjoint aucun`) removes the deputy. */
const NO_ONE = new Set(['none', 'aucun', 'aucune', 'personne']);

/**
 * Turns the text after `/codev` (or after the bot's mention) into an intent.
 * `mentioned` are the users the platform says the text mentions (for add / remove),
 * the bot itself excluded.
 */
export function intentFromText(text: string, mentioned: { userId: UserId; displayName: string }[]): Intent {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase().normalize('NFC') ?? '';
  const verb = (VERBS[word] ?? (word === '' ? 'help' : undefined)) as Verb | undefined;
  switch (verb) {
    case undefined:
      return { kind: 'unknown' };
    case 'help':
      return { kind: 'query', query: 'help' };
    case 'setup':
      return { kind: 'query', query: 'setupForm' };
    case 'plan':
      return { kind: 'query', query: 'plan' };
    case 'topic':
      return { kind: 'query', query: 'topicForm' };
    case 'status':
      return { kind: 'query', query: 'status' };
    case 'export':
      return { kind: 'query', query: 'export' };
    case 'forget':
      return { kind: 'query', query: 'forgetConfirm' };
    case 'join':
      return { kind: 'query', query: 'ethics' };
    case 'programme':
      return { kind: 'query', query: 'programme' };
    case 'absents': {
      // `absents on|off` (oui|non): whether the programme's coordinators see who was absent.
      const answer = text.trim().split(/\s+/)[1]?.toLowerCase();
      if (answer === 'on' || answer === 'oui') return { kind: 'command', command: { type: 'shareAbsentNames', shared: true } };
      if (answer === 'off' || answer === 'non') return { kind: 'command', command: { type: 'shareAbsentNames', shared: false } };
      return { kind: 'unknown' };
    }
    case 'start':
      return { kind: 'command', command: { type: 'start' } };
    case 'next':
      return { kind: 'command', command: { type: 'next' } };
    case 'back':
      return { kind: 'command', command: { type: 'back' } };
    case 'end':
      return { kind: 'command', command: { type: 'end' } };
    case 'add':
      return { kind: 'command', command: { type: 'addMembers', members: mentioned } };
    case 'deputy': {
      const first = mentioned[0];
      if (first) return { kind: 'command', command: { type: 'setDeputy', userId: first.userId } };
      const answer = text.trim().split(/\s+/)[1]?.toLowerCase();
      return answer !== undefined && NO_ONE.has(answer) ? { kind: 'command', command: { type: 'setDeputy' } } : { kind: 'unknown' };
    }
    case 'handover': {
      const first = mentioned[0];
      return first ? { kind: 'command', command: { type: 'proposeHandover', userId: first.userId } } : { kind: 'unknown' };
    }
    case 'remove': {
      const first = mentioned[0];
      return first ? { kind: 'command', command: { type: 'removeMember', userId: first.userId } } : { kind: 'unknown' };
    }
  }
}
