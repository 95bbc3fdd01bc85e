import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/engine/steps.js';
import { localeKeys, t } from '../../src/cards/i18n.js';
import { REFUSAL_CODES, REMINDER_KINDS, ROLES } from '../../scripts/cards/catalog.js';

describe('locale files', () => {
  it('fr and en have exactly the same keys', () => {
    expect(localeKeys('en')).toEqual(localeKeys('fr'));
  });

  it('have no empty text', () => {
    for (const locale of ['fr', 'en'] as const) {
      for (const key of localeKeys(locale)) expect(t(locale, key).trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('give every refusal code a message in both languages', () => {
    for (const code of REFUSAL_CODES) {
      expect(localeKeys('fr')).toContain(`refusal.${code}`);
      expect(t('en', `refusal.${code}`)).not.toBe(t('fr', `refusal.${code}`));
    }
  });

  it('give every step a label and an instruction for each role', () => {
    for (const step of STEPS) {
      for (const part of ['label', 'animateur', 'client', 'consultant']) {
        expect(localeKeys('fr')).toContain(`steps.${step.key}.${part}`);
      }
    }
    // The opening also speaks to the previous client, and has its own words at the year's first meeting.
    expect(localeKeys('fr')).toContain('steps.opening.previousClient');
    for (const role of ['animateur', 'client', 'consultant']) expect(localeKeys('fr')).toContain(`steps.opening.first.${role}`);
    for (const role of ['absent', 'pending', 'outsider']) expect(localeKeys('fr')).toContain(`steps.${role}`);
  });

  it('use the method’s French words for the steps', () => {
    expect(t('fr', 'steps.expose.label')).toBe('Exposé du sujet (problème, préoccupation ou projet)');
    expect(t('fr', 'steps.synthesis.label')).toBe("Synthèse et plan d'action");
    expect(t('fr', 'steps.evaluation.label')).toBe("Retour d'expérience et évaluation");
  });

  it('name every role, help line and reminder kind', () => {
    for (const role of ROLES) expect(localeKeys('fr')).toContain(`roles.${role}`);
    for (const kind of REMINDER_KINDS) expect(localeKeys('fr')).toContain(`reminderKinds.${kind}`);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('fr', 'steps.progress', { index: 3 })).toBe('Étape 3 sur 6');
    expect(t('en', 'steps.progress')).toBe('Step {index} of 6');
  });

  it('does not re-read placeholders inside values', () => {
    expect(t('fr', 'opening.followUpOf', { name: '{index} ${x}' })).toBe("Plan d'actions de {index} ${x}");
  });

  it('write counts as ICU plurals, never "(s)", so one reads in the singular', () => {
    for (const locale of ['fr', 'en'] as const) {
      for (const key of localeKeys(locale)) expect(t(locale, key), `${locale} ${key}`).not.toMatch(/\(s\)/);
    }
    expect(t('fr', 'sizeWarning.text', { count: 1 })).toMatch(/^Le groupe compte 1 membre\./);
    expect(t('fr', 'sizeWarning.text', { count: 4 })).toMatch(/^Le groupe compte 4 membres\./);
    expect(t('en', 'sizeWarning.text', { count: 1 })).toMatch(/^The group has 1 member\./);
    expect(t('fr', 'plan.attendanceLine', { present: 1, excused: 2, absent: 0 })).toBe('1 présent, 2 excusés, 0 absent');
    expect(t('fr', 'refusal.contractNotAgreed', { waiting: 2, discussing: 1 })).toContain('dont 1 qui demande à en discuter');
    expect(t('fr', 'refusal.contractNotAgreed', { waiting: 2, discussing: 0 })).not.toContain('dont');
    expect(t('fr', 'steps.timer', { elapsed: 1, recommended: 15 })).toBe('1 min écoulée · 15 min recommandées');
    expect(t('fr', 'contract.title', { version: 0 })).toBe('Le contrat');
    expect(t('fr', 'contract.title', { version: 2 })).toBe('Le contrat (version 2)');
  });

  it('leaves a plural whose count is not given as written, for the card that fills it', () => {
    expect(t('fr', 'sizeWarning.text')).toContain('{count, plural,');
  });

  it('throws on a key that does not exist, so a typo fails a test rather than a user', () => {
    expect(() => t('fr', 'nope.nothing')).toThrow(/nope.nothing/);
  });
});
