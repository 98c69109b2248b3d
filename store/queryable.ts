import type { Knex } from 'knex';
import type { Database } from './db.ts';

/** Anything a store function can run SQL on: the pool, or a transaction the caller controls. */
export type Queryable = Knex | Knex.Transaction;

/** Lets read functions take either a Database (as the API holds it) or a knex/transaction. */
export function toQueryable(db: Queryable | Database): Queryable {
  return 'capabilities' in db ? db.knex : db;
}
