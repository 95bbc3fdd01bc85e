import type { Kysely } from 'kysely';
import { toDbDate } from './codec.js';
import { PreparedQuery } from './prepared.js';
import type { Database } from './schema.js';

// Keys claimed once until they expire (a delivery id seen, a double click, a saved change's
// own key), shared by every replica through the once_keys table.

/** The row the readiness probe writes; it expires, so the sweep below removes it once unused. */
const PROBE_KEY = 'readiness:probe';
const PROBE_KEY_MS = 60_000;

/** Every so many claims, the expired once-keys are deleted. */
const ONCE_SWEEP_EVERY = 500;

/** One store's once-keys: its compiled claim, and the count that paces the sweep. */
export class OnceKeys {
  // A new key is inserted, an expired one taken over, a live one left alone.
  readonly #claim = new PreparedQuery((db, key: string, expiresAt: string, now: string) =>
    db
      .insertInto('once_keys')
      .values({ key, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') }))
          .where('once_keys.expires_at', '<=', now),
      ),
  );
  #claims = 0;

  async claimOnce(db: Kysely<Database>, key: string, expiresAt: string): Promise<boolean> {
    const now = new Date().toISOString();
    const claimed = await this.claimIn(db, key, expiresAt, now);
    // Expired keys are swept now and then rather than by a job: the table stays small on its own.
    if (++this.#claims % ONCE_SWEEP_EVERY === 0) await db.deleteFrom('once_keys').where('expires_at', '<=', now).execute();
    return claimed;
  }

  /** Claims the key on `db`, the store's connection or a transaction it is in. */
  async claimIn(db: Kysely<Database>, key: string, expiresAt: string, now = new Date().toISOString()): Promise<boolean> {
    const result = await this.#claim.execute(db, key, toDbDate(expiresAt), now);
    return Boolean(result.numAffectedRows);
  }

  async releaseOnce(db: Kysely<Database>, key: string): Promise<void> {
    await db.deleteFrom('once_keys').where('key', '=', key).execute();
  }

  /** The row the readiness probe writes, committed. */
  async writeProbe(db: Kysely<Database>): Promise<void> {
    const expiresAt = new Date(Date.now() + PROBE_KEY_MS).toISOString();
    await db
      .insertInto('once_keys')
      .values({ key: PROBE_KEY, expires_at: toDbDate(expiresAt) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ expires_at: toDbDate(expiresAt) }))
      .execute();
  }
}
