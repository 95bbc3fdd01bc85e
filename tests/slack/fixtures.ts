import type { FakeSlackUser } from '../support/fakes/slack-api.js';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const TEAM_ID = 'T0CODEV';
export const CHANNEL_ID = 'C0VAUDNORD';

/** The animateur and six directors of the integration test, as Slack knows them. */
export const PEOPLE: FakeSlackUser[] = [
  { id: 'U0ANIM', name: 'claire.martin', realName: 'Claire Martin', displayName: 'Claire (animatrice)' },
  { id: 'U0ANNE', name: 'anne.rochat', realName: 'Anne Rochat' },
  { id: 'U0BRUNO', name: 'bruno.favre', realName: 'Bruno Favre' },
  { id: 'U0CHLOE', name: 'chloe.pittet', realName: 'Chloé Pittet' },
  { id: 'U0DAVID', name: 'david.muller', realName: 'David Müller' },
  { id: 'U0EMMA', name: 'emma.jaquet', realName: 'Emma Jaquet' },
  { id: 'U0FARID', name: 'farid.benali', realName: 'Farid Benali' },
];
