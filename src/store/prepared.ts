import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

const MARK = '\u0000codev.arg.';

/**
 * A query that kysely builds and compiles once, then runs with new values each time.
 * kysely otherwise builds and compiles a query's SQL on every call, which costs more than
 * the database's own work for the small queries every request makes (a group read, a
 * once-claim, a saved group). The compiled text is the same on every connection of the
 * store, transactions included; the dialect's result handling is kept (`executeQuery`).
 *
 * `build` gets a placeholder for each argument and must use each one as a value, exactly
 * once and untouched (convert values before the call, not inside `build`); this is checked
 * when the query is first compiled.
 */
export class PreparedQuery<Args extends unknown[], Row> {
  #compiled: { query: CompiledQuery<Row>; slots: number[] } | undefined;

  constructor(private readonly build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>) {}

  async execute(db: Kysely<Database>, ...args: Args): Promise<QueryResult<Row>> {
    this.#compiled ??= this.#compile(db, args.length);
    const { query, slots } = this.#compiled;
    const parameters = query.parameters.map((value, i) => (slots[i] === -1 ? value : args[slots[i] as number]));
    return db.executeQuery<Row>({ ...query, parameters });
  }

  #compile(db: Kysely<Database>, arity: number): { query: CompiledQuery<Row>; slots: number[] } {
    const marks = Array.from({ length: arity }, (_, i) => `${MARK}${i}`);
    const query = this.build(db, ...(marks as Args)).compile();
    const slots = query.parameters.map((value) => (typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : -1));
    const used = slots.filter((slot) => slot !== -1).sort((a, b) => a - b);
    if (used.length !== arity || used.some((slot, i) => slot !== i)) {
      throw new Error('PreparedQuery: each argument must be used exactly once, as a value');
    }
    return { query, slots };
  }
}
