// Exit codes of every `paperboy` command, so scripts and schedulers can tell outcomes apart.
export const EXIT = {
  /** Everything asked for was done. */
  OK: 0,
  /** The command failed (an unreadable file, an unreachable server, a database error). */
  FAILURE: 1,
  /** The command line was wrong (unknown option, missing argument). */
  USAGE: 2,
  /** The command finished, but some records were rejected or some files could not be read. */
  PARTIAL: 3,
  /** A setting in the environment is invalid (see the configuration table in README.md). */
  CONFIG: 78,
} as const;

/** An error that carries the exit code the command should end with. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILURE,
  ) {
    super(message);
    this.name = "CommandError";
  }
}
