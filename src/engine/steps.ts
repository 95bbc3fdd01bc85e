import type { StepIndex } from './types.js';

/**
 * The method in one table: the opening and the six steps of a meeting, with their
 * default durations. Labels and role instructions live in the locale files under
 * `steps.<key>`; which command is allowed at which step for which role lives here too.
 */
export interface StepDefinition {
  index: StepIndex;
  key: 'opening' | 'expose' | 'clarification' | 'contract' | 'consultation' | 'synthesis' | 'evaluation';
  defaultMinutes: number;
}

export const STEPS: readonly StepDefinition[] = [
  { index: 0, key: 'opening', defaultMinutes: 10 },
  { index: 1, key: 'expose', defaultMinutes: 10 },
  { index: 2, key: 'clarification', defaultMinutes: 15 },
  { index: 3, key: 'contract', defaultMinutes: 10 },
  { index: 4, key: 'consultation', defaultMinutes: 25 },
  { index: 5, key: 'synthesis', defaultMinutes: 15 },
  { index: 6, key: 'evaluation', defaultMinutes: 10 },
];

export const FIRST_STEP: StepIndex = 0;
export const LAST_STEP: StepIndex = 6;
/** The exposé: once it is reached, the client has spoken and the meeting used their turn. */
export const EXPOSE_STEP: StepIndex = 1;
/** The only consensus step: leaving it needs every consultant's agreement. */
export const CONTRACT_STEP: StepIndex = 3;

export function stepDefinition(index: StepIndex): StepDefinition {
  const step = STEPS[index];
  if (!step) throw new RangeError(`No step ${index}`);
  return step;
}
