import type { View } from '../../engine/commands.js';
import type { Group, Locale } from '../../engine/types.js';
import { memberName } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { shortenBytes } from '../text.js';
import { expandCard, type AdaptiveCard } from '../templates.js';

// Handing the animateur's role over: the offer the member reads privately, and what
// became of it, for the animateur who made it and the member who answered.

function names(group: Group): { group: string } {
  return { group: shortenBytes(group.name, 300).text };
}

export function renderHandoverOffer(group: Group, locale: Locale): AdaptiveCard {
  return expandCard('handover', {
    l: {
      title: t(locale, 'handover.offerTitle'),
      text: t(locale, 'handover.offerText', { animateur: group.animateurName, ...names(group) }),
      accept: t(locale, 'handover.accept'),
      decline: t(locale, 'handover.decline'),
      privateNote: t(locale, 'common.privateNote'),
    },
    offer: true,
    accept: actionData(group.id, { type: 'answerHandover', accepted: true }),
    decline: actionData(group.id, { type: 'answerHandover', accepted: false }),
  });
}

export function renderHandoverAnswer(group: Group, view: Extract<View, { name: 'handoverAnswer' }>, locale: Locale): AdaptiveCard {
  const outcome = view.accepted ? 'accepted' : 'declined';
  const { userId } = view;
  const former = memberName(group, view.by);
  return expandCard('handover', {
    l: {
      title: t(locale, `handover.${outcome}Title`),
      text: t(locale, `handover.${outcome}Text`, { name: memberName(group, userId), former, ...names(group) }),
      accept: '',
      decline: '',
      privateNote: t(locale, 'common.privateNote'),
    },
    offer: false,
    accept: null,
    decline: null,
  });
}
