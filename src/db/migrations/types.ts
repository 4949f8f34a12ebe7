// The shape of one migration: a name that sorts in run order and the SQL that applies it.
export interface SqlMigration {
  name: string;
  /** One or more statements separated by semicolons at line ends. */
  up: string;
}
