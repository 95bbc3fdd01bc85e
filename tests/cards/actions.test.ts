import { describe, expect, it } from 'vitest';
import { parseCardAction, parseMyActions } from '../../src/cards/actions.js';
import { actionData } from '../../src/cards/payload.js';
import { catalog } from '../../scripts/cards/catalog.js';
import { nodes } from './helpers.js';

const step = (meetingId = 'm2') => ({ meetingId });

describe('parseCardAction', () => {
  it('reads every button of every card into a command', () => {
    for (const entry of catalog('fr')) {
      for (const node of nodes(entry.card)) {
        if (node.type !== 'Action.Execute') continue;
        // "My actions" asks for the person's own card: no command.
        if (node.verb === 'myActions') {
          expect(parseMyActions(node.data), entry.name).toEqual({ groupId: 'g1', meetingId: 'm2' });
          continue;
        }
        const parsed = parseCardAction(node.data, {
          setupName: 'G',
          setupDate: '2027-01-14',
          setupTime: '14:00',
          setupCadence: '6',
          setupDuration: '120',
          setupTimeZone: 'Europe/Paris',
          setupLocale: 'fr',
          topicKind: 'projet',
          swapA: 'm3',
          swapB: 'm4',
          moveMeeting: 'm3',
          moveDate: '2027-04-20',
          moveTime: '09:30',
          suggestionKind: 'idee',
          evaluationRating: '4',
          deputyMember: 'none',
        });
        expect(parsed, `${entry.name} ${String(node.verb)}`).not.toHaveProperty('error');
        if (!('error' in parsed)) expect(parsed.command.type).toBe(node.verb);
      }
    }
  });

  it('moves steps only from the step the animateur saw', () => {
    expect(parseCardAction(actionData('g1', { type: 'next', from: 3 }, 'm2'), {})).toEqual({
      groupId: 'g1',
      ...step(),
      command: { type: 'next', from: 3 },
    });
  });

  it('takes Teams inputs merged into data, and Slack inputs passed apart', () => {
    const teams = { ...actionData('g1', { type: 'askQuestion' }, 'm2'), questionText: 'Qu’avez-vous essayé ?' };
    expect(parseCardAction(teams, {})).toEqual({ groupId: 'g1', ...step(), command: { type: 'askQuestion', text: 'Qu’avez-vous essayé ?' } });
    expect(parseCardAction(actionData('g1', { type: 'askQuestion' }, 'm2'), { questionText: 'Et alors ?' })).toMatchObject({
      command: { text: 'Et alors ?' },
    });
  });

  it('maps each form to its command', () => {
    const cases: [Parameters<typeof actionData>[1], Record<string, string>, object][] = [
      [
        { type: 'saveTopic' },
        { topicKind: 'preoccupation', topicTitle: 'T', topicContext: 'C', topicQuestion: 'Q ?' },
        { type: 'saveTopic', kind: 'preoccupation', title: 'T', context: 'C', question: 'Q ?' },
      ],
      [{ type: 'giveFollowUp' }, { followUpText: 'Fait' }, { type: 'giveFollowUp', text: 'Fait' }],
      [{ type: 'writeContract' }, { contractText: 'Ma demande' }, { type: 'writeContract', text: 'Ma demande' }],
      [{ type: 'suggest' }, { suggestionKind: 'ressenti', suggestionText: 'Je ressens' }, { type: 'suggest', kind: 'ressenti', text: 'Je ressens' }],
      [{ type: 'addAction' }, { actionText: 'Appeler', actionDue: '2027-03-01' }, { type: 'addAction', text: 'Appeler', due: '2027-03-01' }],
      [{ type: 'addAction' }, { actionText: 'Appeler', actionDue: '' }, { type: 'addAction', text: 'Appeler' }],
      [{ type: 'addLearning' }, { learningText: 'Appris', learningShared: 'true' }, { type: 'addLearning', text: 'Appris', shared: true }],
      [{ type: 'evaluate' }, { evaluationRating: '5', evaluationComment: '' }, { type: 'evaluate', rating: 5 }],
      [{ type: 'evaluate' }, { evaluationRating: '2', evaluationComment: 'Trop long' }, { type: 'evaluate', rating: 2, comment: 'Trop long' }],
      [{ type: 'swapClients' }, { swapA: 'm3', swapB: 'm5' }, { type: 'swapClients', meetingA: 'm3', meetingB: 'm5' }],
      [{ type: 'setReminder', kind: 'channelEve', enabled: false }, {}, { type: 'setReminder', kind: 'channelEve', setting: { enabled: false } }],
      [
        { type: 'moveMeeting' },
        { moveMeeting: 'm4', moveDate: '2027-05-20', moveTime: '09:30' },
        { type: 'moveMeeting', meetingId: 'm4', startsAtLocal: '2027-05-20T09:30' },
      ],
    ];
    for (const [intent, inputs, command] of cases) {
      expect(parseCardAction(actionData('g1', intent, 'm2'), inputs)).toEqual({ groupId: 'g1', ...step(), command });
    }
  });

  it('builds the setup command with the calendar from the form', () => {
    const conversation = { platform: 'slack' as const, tenantId: 'T1', channelId: 'C1' };
    const parsed = parseCardAction(actionData('g-new', { type: 'setup', conversation }), {
      setupName: 'Groupe 1',
      setupDate: '2027-01-14',
      setupTime: '14:00',
      setupCadence: '6',
      setupDuration: '120',
      setupPlace: 'ARS',
      setupTimeZone: 'Europe/Paris',
      setupLocale: 'en',
    });
    expect(parsed).toEqual({
      groupId: 'g-new',
      command: {
        type: 'setup',
        groupId: 'g-new',
        name: 'Groupe 1',
        conversation,
        locale: 'en',
        calendar: { firstMeetingLocal: '2027-01-14T14:00', cadenceWeeks: 6, durationMinutes: 120, place: 'ARS', timeZone: 'Europe/Paris' },
      },
    });
  });

  it('leaves empty and long texts to the engine, which says what to do', () => {
    expect(parseCardAction(actionData('g1', { type: 'askQuestion' }, 'm2'), { questionText: '' })).toMatchObject({ command: { text: '' } });
    expect(parseCardAction(actionData('g1', { type: 'askQuestion' }, 'm2'), { questionText: 'é'.repeat(5_000) })).not.toHaveProperty('error');
  });

  it.each([
    ['no data', undefined, {}],
    ['a string', 'next', {}],
    ['no payload', { verb: 'next' }, {}],
    ['an unknown version', { codev: { v: 2, g: 'g1', c: { type: 'next' } } }, {}],
    ['an unknown intent', { codev: { v: 1, g: 'g1', c: { type: 'purge' } } }, {}],
    ['a step out of range', { codev: { v: 1, g: 'g1', c: { type: 'next', from: 9 } } }, {}],
    ['an empty group id', { codev: { v: 1, g: '', c: { type: 'start' } } }, {}],
    ['a rating of 6', actionData('g1', { type: 'evaluate' }), { evaluationRating: '6' }],
    ['an unknown suggestion kind', actionData('g1', { type: 'suggest' }), { suggestionKind: 'vote', suggestionText: 'x' }],
    ['a suggestion without its kind (the form always sends one)', actionData('g1', { type: 'suggest' }), { suggestionText: 'x' }],
    ['a malformed due date', actionData('g1', { type: 'addAction' }), { actionText: 'x', actionDue: 'demain' }],
    ['a non-string input', { ...actionData('g1', { type: 'askQuestion' }), questionText: { $ne: 1 } }, {}],
    ['a 100 KB input', actionData('g1', { type: 'askQuestion' }), { questionText: 'x'.repeat(100_000) }],
  ])('refuses %s', (_, data, inputs) => {
    expect(parseCardAction(data, inputs as Record<string, string>)).toEqual({ error: 'invalid' });
  });
});
