// Checks the arguments of the arXiv importers (days, categories, OAI sets, prefixes) before any
// request is made, so a typo is reported as bad usage naming the option instead of a failed run.

/** An argument given to an importer is malformed; the message names the option and the value. */
export class ArgumentError extends Error {
  override name = "ArgumentError";
}

/** A calendar day YYYY-MM-DD that exists (2026-02-30 does not). */
export function parseDay(value: string, option: string): string {
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!ok) throw new ArgumentError(`${option} must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
  return value;
}

/** Today in UTC, as YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Checks that `from` is not after `until` (both YYYY-MM-DD). */
export function checkRange(from: string | undefined, until: string | undefined, names: [string, string]) {
  if (from && until && from > until) {
    throw new ArgumentError(`${names[0]} ${from} is after ${names[1]} ${until}`);
  }
}

/**
 * An arXiv category as arXiv writes it: an archive (`hep-th`, `cs`, `cond-mat`) optionally followed by
 * a subject class (`cs.CL`, `math.AG`, `astro-ph.CO`, `cond-mat.mes-hall`).
 */
const CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?$/;

export function parseCategory(value: string, option = "--category"): string {
  if (!CATEGORY.test(value)) {
    throw new ArgumentError(
      `${option} must be an arXiv category such as cs.CL, hep-th or math.AG (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** An OAI-PMH set spec: `cs`, `math`, `physics:hep-th`. */
const SET_SPEC = /^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)*$/;

export function parseSetSpec(value: string, option = "--set"): string {
  if (!SET_SPEC.test(value)) {
    throw new ArgumentError(
      `${option} must be an OAI-PMH set such as cs or physics:hep-th (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

export type MetadataPrefix = "arXiv" | "arXivRaw";

export function parseMetadataPrefix(value: string, option = "--metadata-prefix"): MetadataPrefix {
  if (value !== "arXiv" && value !== "arXivRaw") {
    throw new ArgumentError(`${option} must be arXiv or arXivRaw (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** A whole number in [min, max]. */
export function parseCount(value: string, option: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new ArgumentError(`${option} must be a whole number ${range} (got ${JSON.stringify(value)})`);
  }
  return n;
}
