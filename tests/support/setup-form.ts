/**
 * The set-up form as an animateur fills it in French: the first meeting on Thursday
 * 14 January 2027 at 14:00 in Paris, every 6 weeks, for two hours. Input ids as the card has them.
 */
export const SETUP_FORM: Readonly<Record<string, string>> = {
  setupName: 'Codév EMS Nord',
  setupDate: '2027-01-14',
  setupTime: '14:00',
  setupCadence: '6',
  setupDuration: '120',
  setupPlace: 'Salle du conseil',
  setupTimeZone: 'Europe/Paris',
  setupLocale: 'fr',
};
