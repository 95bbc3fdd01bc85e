import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres.js';

// The service's schema shares its PostgreSQL database with others (another application's,
// another replica's test schema): one dropped while the service starts must not stop it.

const url = process.env.TEST_DATABASE_URL;

describe.runIf(url !== undefined)('migrations beside other schemas (PostgreSQL)', () => {
  const admin = new pg.Client({ connectionString: url });
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());

  it('migrate() succeeds while other schemas are created and dropped', async () => {
    let churning = true;
    // Another tenant of the database, busy with schemas of its own.
    const churn = (async () => {
      for (let i = 0; churning; i += 1) {
        const other = `other_${tag}_${i}`;
        await admin.query(`create schema ${other}; create table ${other}.t (id serial primary key, a text, b text, c text)`);
        await admin.query(`drop schema ${other} cascade`);
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 15; i += 1) {
        const schema = `mig_${tag}_${i}`;
        await admin.query(`create schema ${schema}`);
        const store = createPostgresStore({ connectionString: url!, schema });
        try {
          await store.migrate();
          await store.migrate();
        } catch (error) {
          failures.push(String((error as { cause?: unknown }).cause ?? error));
        } finally {
          await store.close();
          await admin.query(`drop schema ${schema} cascade`);
        }
      }
    } finally {
      churning = false;
      await churn;
    }
    expect(failures).toEqual([]);
  });
});
