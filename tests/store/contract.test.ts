import { describe } from 'vitest';
import { storesUnderTest } from '../support/stores.js';
import { groupContract } from './contract/groups.js';
import { outboxContract } from './contract/outbox.js';
import { recordsContract } from './contract/records.js';
import { sundriesContract } from './contract/sundries.js';

// One contract, every store. The list comes from the environment (PostgreSQL joins when
// TEST_DATABASE_URL is set), so nothing is ever reported as skipped.
for (const subject of storesUnderTest()) {
  describe(`Store contract: ${subject.name}`, () => {
    groupContract(subject);
    outboxContract(subject);
    sundriesContract(subject);
    recordsContract(subject);
  });
}
