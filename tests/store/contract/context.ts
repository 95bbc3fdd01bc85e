import { afterEach, beforeEach } from 'vitest';
import type { StoreFixture, StoreUnderTest } from '../../support/stores.js';
import type { Store } from '../../../src/store/types.js';

/** A migrated store, fresh for each test, disposed afterwards. */
export function useStore(subject: StoreUnderTest): { readonly store: Store; readonly fixture: StoreFixture } {
  let fixture: StoreFixture | undefined;
  beforeEach(async () => {
    fixture = await subject.open();
    await fixture.store.migrate();
  });
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });
  return {
    get store() {
      if (!fixture) throw new Error('store used outside a test');
      return fixture.store;
    },
    get fixture() {
      if (!fixture) throw new Error('store used outside a test');
      return fixture;
    },
  };
}
