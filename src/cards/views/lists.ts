import type { Action, Locale } from '../../engine/types.js';
import { t } from '../i18n.js';
import { fitTexts, formatLocalDate, type Fitted } from '../text.js';

export interface ActionLine {
  id: string;
  text: string;
  /** " · due: …" or empty, so the template needs no condition. */
  due: string;
}

/** An action plan as lines for a card, shortened to fit. */
export function actionLines(actions: readonly Action[], locale: Locale): Fitted<ActionLine> {
  return fitTexts(
    actions.map((action) => ({
      id: action.id,
      text: action.text,
      due: action.due ? ` · ${t(locale, 'synthesis.dueOn', { date: formatLocalDate(action.due, locale) })}` : '',
    })),
    (line) => line.text,
    (line, text) => ({ ...line, text }),
  );
}
