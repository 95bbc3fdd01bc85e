import type { Locale } from '../../engine/types.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { expandCard, type AdaptiveCard } from '../templates.js';

export type NoticeName = 'forgetConfirm' | 'forgotten' | 'exportReady' | 'programmeReady';

/**
 * The personal-data notices, always sent to one person: the confirmation before `forget`,
 * its outcome, the one-time download link of `export`, and the programme's link.
 */
export function renderNotice(name: NoticeName, locale: Locale, url = ''): AdaptiveCard {
  return expandCard('notice', {
    l: {
      title: t(locale, `notice.${name}.title`),
      text: t(locale, `notice.${name}.text`),
      button: name === 'forgotten' ? '' : t(locale, `notice.${name}.button`),
      privateNote: t(locale, 'common.privateNote'),
    },
    url,
    // Erasure is personal, across groups: the payload names no group.
    confirm: name === 'forgetConfirm' ? actionData('personal', { type: 'forget' }) : null,
  });
}
