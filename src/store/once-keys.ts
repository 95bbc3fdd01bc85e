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

  /** Claims the key on `db`, the store's connection or a transaction it is in. */
  async claim(db: Kysely<Database>, key: string, expiresAt: string): Promise<boolean> {
    this.#claims += 1;
    const result = await this.#claim.execute(db, key, toDbDate(expiresAt), new Date().toISOString());
    return Boolean(result.numAffectedRows);
  }

  /**
   * Every so many claims, deletes the expired keys: the table stays small without a job. On
   * the store's connection, never in a group's transaction, where the delete could wait on a
   * key another transaction is taking over while that one waits on the group. It runs after
   * the work it follows is committed, so its failure is not that work's: it is left to the
   * next sweep.
   */
  async sweepNowAndThen(db: Kysely<Database>): Promise<void> {
    if (this.#claims < ONCE_SWEEP_EVERY) return;
    this.#claims = 0;
    await db
      .deleteFrom('once_keys')
      .where('expires_at', '<=', new Date().toISOString())
      .execute()
      .catch(() => undefined);
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
