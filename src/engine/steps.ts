import type { CommandType } from './registry.js';
import type { MeetingRun, StepIndex } from './types.js';

/** Who a step's table row speaks of: the previous client gives the follow-up of their plan at the opening. */
export type StepActor = 'animateur' | 'client' | 'previousClient' | 'consultant';

/** What a step gathers: the run's lists, plus the meeting's attendance and the client's topic. */
export type Collected = keyof MeetingRun | 'attendance' | 'topic';

export interface StepDefinition {
  index: StepIndex;
  key: 'opening' | 'expose' | 'clarification' | 'contract' | 'consultation' | 'synthesis' | 'evaluation';
  defaultMinutes: number;
  /** Who acts at this step, in the method's words (SPEC section 2). */
  acts: readonly StepActor[];
  /** The commands each role may issue at this step; the animateur's moves (next, back, end) go at any step (registry.ts). */
  may: Readonly<Partial<Record<StepActor, readonly CommandType[]>>>;
  collects: readonly Collected[];
  /** The card template that shows the step. */
  card: `step-${StepIndex}-${StepDefinition['key']}`;
}

/**
 * The method in one table: the opening and the six steps of a meeting (SPEC section 2).
 * Labels and each role's instruction are in the locale files under `steps.<key>`.
 */
// prettier-ignore
export const STEPS = [
  { index: 0, key: 'opening',       defaultMinutes: 10, acts: ['animateur', 'previousClient'], may: { animateur: ['giveFollowUp'], previousClient: ['giveFollowUp'], client: ['saveTopic'] }, collects: ['attendance', 'followUp'], card: 'step-0-opening' },
  { index: 1, key: 'expose',        defaultMinutes: 10, acts: ['client'],                      may: { client: ['saveTopic'] },                                                                collects: ['topic'],                   card: 'step-1-expose' },
  { index: 2, key: 'clarification', defaultMinutes: 15, acts: ['consultant', 'client'],        may: { consultant: ['askQuestion'] },                                                          collects: ['questions'],               card: 'step-2-clarification' },
  { index: 3, key: 'contract',      defaultMinutes: 10, acts: ['client', 'consultant'],        may: { client: ['writeContract'], animateur: ['writeContract', 'recordAgreement'], consultant: ['answerContract'] }, collects: ['contract', 'agreements'], card: 'step-3-contract' },
  { index: 4, key: 'consultation',  defaultMinutes: 25, acts: ['consultant', 'client'],        may: { consultant: ['suggest'], client: ['keepSuggestion'] },                                  collects: ['suggestions'],             card: 'step-4-consultation' },
  { index: 5, key: 'synthesis',     defaultMinutes: 15, acts: ['client', 'consultant'],        may: { client: ['keepSuggestion', 'addAction', 'removeAction', 'addLearning'], consultant: ['addLearning'] }, collects: ['actionPlan', 'learnings'], card: 'step-5-synthesis' },
  { index: 6, key: 'evaluation',    defaultMinutes: 10, acts: ['client', 'consultant'],        may: { client: ['addLearning', 'evaluate'], consultant: ['addLearning', 'evaluate'] },         collects: ['evaluations'],             card: 'step-6-evaluation' },
] as const satisfies readonly StepDefinition[];

/** A row of the table, with its card's exact name. */
export type Step = (typeof STEPS)[number];

export const FIRST_STEP: StepIndex = 0;
export const LAST_STEP: StepIndex = 6;
/** The exposé: once it is reached, the client has spoken and the meeting used their turn. */
export const EXPOSE_STEP: StepIndex = 1;
/** The only consensus step: leaving it needs every consultant's agreement. */
export const CONTRACT_STEP: StepIndex = 3;

export function stepDefinition(index: StepIndex): Step {
  const step = STEPS[index];
  if (!step) throw new RangeError(`No step ${index}`);
  return step;
}

/** Where the table lets a command be issued: the steps, and the roles at any of them. */
export function allowedAt(type: CommandType): { steps: StepIndex[]; roles: StepActor[] } {
  const steps: StepIndex[] = [];
  const roles = new Set<StepActor>();
  for (const step of STEPS as readonly StepDefinition[]) {
    const who = (Object.keys(step.may) as StepActor[]).filter((role) => step.may[role]?.includes(type));
    if (who.length > 0) steps.push(step.index);
    for (const role of who) roles.add(role);
  }
  return { steps, roles: [...roles] };
}
