import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentFromText, VERBS } from '../../src/app/intents.js';
import fr from '../../src/cards/locales/fr.json' with { type: 'json' };
import { INPUT_IDS } from '../../src/cards/payload.js';
import { CARD_NAMES } from '../../src/cards/templates.js';
import { COMMANDS, FORM_COMMANDS, formOf, type CommandType } from '../../src/engine/registry.js';
import { allowedAt, STEPS } from '../../src/engine/steps.js';

// SPEC section 2 (the steps) and section 4 (the commands), carried here as the SPEC states
// them, so that the tables the code reads cannot drift from the method.

const SPEC_STEPS = [
  { index: 0, label: 'Ouverture', minutes: 10 },
  { index: 1, label: 'Exposé du sujet (problème, préoccupation ou projet)', minutes: 10 },
  { index: 2, label: 'Clarification', minutes: 15 },
  { index: 3, label: 'Contrat', minutes: 10 },
  { index: 4, label: 'Consultation', minutes: 25 },
  { index: 5, label: "Synthèse et plan d'action", minutes: 15 },
  { index: 6, label: "Retour d'expérience et évaluation", minutes: 10 },
];

const SPEC_VERBS: [verb: string, alias: string][] = [
  ['help', 'aide'],
  ['setup', 'créer'],
  ['join', 'rejoindre'],
  ['add', 'ajouter'],
  ['remove', 'retirer'],
  ['plan', 'planning'],
  ['topic', 'sujet'],
  ['start', 'démarrer'],
  ['next', 'suivant'],
  ['back', 'précédent'],
  ['status', 'état'],
  ['end', 'clore'],
  ['export', 'exporter'],
  ['forget', 'oublier'],
  ['deputy', 'adjoint'],
  ['handover', 'passer-la-main'],
  ['programme', 'programme'],
];

const TYPES = Object.keys(COMMANDS) as CommandType[];

/** The id of every input the card templates hold (the third-party check's are filled from the registry). */
function templateInputs(): string[] {
  const dir = new URL('../../adaptive-cards/', import.meta.url);
  const inputs = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.flatMap(inputs);
    if (!value || typeof value !== 'object') return [];
    const node = value as Record<string, unknown>;
    const own = String(node.type).startsWith('Input.') && !String(node.id).startsWith('$') ? [String(node.id)] : [];
    return [...own, ...Object.values(node).flatMap(inputs)];
  };
  return readdirSync(dir).flatMap((file) => inputs(JSON.parse(readFileSync(new URL(file, dir), 'utf8'))));
}

const stepLabels = fr.steps as unknown as Record<string, { label: string }>;

describe('the step table', () => {
  it.each(SPEC_STEPS)('holds step $index, "$label", $minutes minutes by default, shown by its own card', ({ index, label, minutes }) => {
    const step = STEPS[index]!;
    expect(step.index).toBe(index);
    expect(step.defaultMinutes).toBe(minutes);
    expect(stepLabels[step.key]?.label.startsWith(label)).toBe(true);
    expect(CARD_NAMES).toContain(step.card);
  });

  it('holds the six steps and the opening, no more', () => {
    expect(STEPS.map((step) => step.index)).toEqual(SPEC_STEPS.map((step) => step.index));
  });

  it('names only step commands, and every step command is issued at some step', () => {
    const named = new Set<CommandType>(STEPS.flatMap((step) => Object.values(step.may).flat()));
    const stepCommands = (Object.keys(COMMANDS) as CommandType[]).filter((type) => COMMANDS[type].who === 'step');
    for (const type of stepCommands) expect(named, type).toContain(type);
    for (const type of named) expect(['step', 'client'], type).toContain(COMMANDS[type].who);
  });

  it('keeps the method’s rules: only consultants question and suggest, the client keeps and plans, the contract is step 3', () => {
    expect(allowedAt('askQuestion')).toEqual({ steps: [2], roles: ['consultant'] });
    expect(allowedAt('suggest')).toEqual({ steps: [4], roles: ['consultant'] });
    expect(allowedAt('keepSuggestion')).toEqual({ steps: [4, 5], roles: ['client'] });
    expect(allowedAt('addAction')).toEqual({ steps: [5], roles: ['client'] });
    expect(allowedAt('answerContract')).toEqual({ steps: [3], roles: ['consultant'] });
    expect(allowedAt('writeContract').roles.sort()).toEqual(['animateur', 'client']);
  });
});

describe('the command registry', () => {
  it.each(SPEC_VERBS)('knows `%s` and its alias `%s` as the same command', (verb, alias) => {
    expect(Object.keys(VERBS)).toContain(verb);
    const mentioned = [{ userId: 'u1', displayName: 'Alice' }];
    const intent = intentFromText(`${verb} @Alice`, mentioned);
    expect(intent.kind).not.toBe('unknown');
    expect(intentFromText(`${alias} @Alice`, mentioned)).toEqual(intent);
  });

  it('turns every command verb into a command of the registry', () => {
    for (const verb of Object.keys(VERBS)) {
      const intent = intentFromText(`${verb} on`, [{ userId: 'u1', displayName: 'Alice' }]);
      if (intent.kind === 'command') expect(Object.keys(COMMANDS)).toContain(intent.command.type);
    }
  });

  it('lets only the one running the meeting (the animateur, or the deputy in charge) move it, and only inside the running one', () => {
    for (const type of ['start', 'next', 'back', 'end'] as const) expect(COMMANDS[type].who).toBe('runner');
    expect([COMMANDS.next.running, COMMANDS.back.running, COMMANDS.end.running, COMMANDS.start.running]).toEqual([true, true, true, false]);
  });

  it('answers plan changes with the plan and meeting changes with the step card', () => {
    expect(COMMANDS.swapClients.answer).toBe('plan');
    expect(COMMANDS.setAttendance.answer).toBe('plan');
    expect(COMMANDS.suggest.answer).toBe('status');
    expect(COMMANDS.saveTopic.answer).toBe('topicForm');
  });

  it('names the free texts the third-party data guard reads', () => {
    expect(COMMANDS.saveTopic.written).toEqual(['title', 'context', 'question']);
    expect(COMMANDS.evaluate.written).toEqual(['comment']);
    expect(COMMANDS.answerContract.written).toEqual([]);
  });

  it('checks payloads with its schemas', () => {
    expect(COMMANDS.evaluate.payload.safeParse({ rating: 6 }).success).toBe(false);
    expect(COMMANDS.evaluate.payload.safeParse({ rating: 4 }).success).toBe(true);
    expect(COMMANDS.next.payload.safeParse({ from: 7 }).success).toBe(false);
  });

  it('counts as a double click only an item added to a list, by its free text', () => {
    const appending = TYPES.filter((type) => COMMANDS[type].appends !== undefined);
    expect(appending.sort()).toEqual(['addAction', 'addLearning', 'askQuestion', 'suggest', 'writeContract']);
    for (const type of appending) expect(COMMANDS[type].written, type).toContain(COMMANDS[type].appends);
  });

  it('fills each form field by field from inputs of the cards, every free text included', () => {
    for (const type of TYPES) {
      const form = formOf(type);
      // The guard's card shows a held text back in the input it came from.
      for (const field of COMMANDS[type].written) expect(form[field], `${type}.${field}`).toBeDefined();
      if (Object.keys(form).length === 0) continue;
      const fields = Object.keys(COMMANDS[type].payload.shape).filter((field) => field !== 'confirmedThirdPartyData');
      expect(Object.keys(form).sort(), type).toEqual(fields.sort());
    }
    const inputs = FORM_COMMANDS.flatMap((type) => Object.values(formOf(type)));
    expect(new Set(inputs).size, 'an input fills one field of one command').toBe(inputs.length);
    const shown = templateInputs();
    for (const input of inputs) expect(shown, input).toContain(input);
    for (const input of shown) expect(INPUT_IDS, input).toContain(input);
  });
});
