import { consultantsOf, contractStatus, memberName } from '../../engine/selectors.js';
import { t } from '../i18n.js';
import { actionData } from '../payload.js';
import { shortenBytes, shortenChars } from '../text.js';
import { cardLabels, type MeetingScope } from './context.js';

/** Step 3: the only consensus step, so the card shows each consultant's stance. */
export function contractData(scope: MeetingScope): object {
  const { group, meeting, run, ctx, can } = scope;
  const { locale } = ctx;
  const status = contractStatus(group, meeting.id);
  const latest = run.contract.at(-1);
  const present = latest !== undefined;
  const agreements = consultantsOf(group, meeting.id).map((consultantId) => {
    const name = memberName(group, consultantId);
    const agreement = run.agreements[consultantId];
    const agreed = status.agreed.includes(consultantId);
    const discussing = status.discussing.includes(consultantId);
    const spoken = agreed && agreement?.recordedBy !== undefined;
    return {
      name,
      icon: agreed ? '✅' : discussing ? '💬' : '⏳',
      stance: t(locale, agreed ? (spoken ? 'contract.agreedSpoken' : 'contract.agreed') : discussing ? 'contract.discussing' : 'contract.waiting'),
      // Meetings are often in a room: the animateur may record an agreement given aloud.
      canRecord: can.animateur && present && !agreed,
      recordTitle: shortenChars(t(locale, 'contract.recordButton', { name }), 75),
      record: actionData(group.id, { type: 'recordAgreement', consultantId, version: status.version || 1 }, meeting.id),
    };
  });
  const version = status.version || 1;
  return {
    l: cardLabels(locale, ['contract'], { version: status.version }),
    contract: {
      present,
      text: present ? shortenBytes(latest.text, 8_000).text : '',
      canAnswer: can.consultant && present,
      agree: actionData(group.id, { type: 'answerContract', version, stance: 'agree' }, meeting.id),
      discuss: actionData(group.id, { type: 'answerContract', version, stance: 'discuss' }, meeting.id),
      canWrite: can.client || can.animateur,
      writeTitle: t(locale, present ? 'contract.reviseButton' : 'contract.writeButton'),
      draft: present ? latest.text : '',
      write: actionData(group.id, { type: 'writeContract' }, meeting.id),
    },
    agreements,
    gate: t(locale, status.complete ? 'contract.complete' : 'contract.incomplete'),
    gateColor: status.complete ? 'Good' : 'Attention',
  };
}
