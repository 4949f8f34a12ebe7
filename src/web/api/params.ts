// Query-string validation for the JSON API: each parameter parsed with zod, and a bad one answered
// with HTTP 400 and a JSON body naming the parameter, never a 500.
import type { Context } from "hono";
import { z } from "zod";
import { isDay, parsePeriod } from "../../papers/periods.ts";

export class ParamError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = "ParamError";
  }
}

/** Parses one query parameter with `schema`; absent values get the schema's default. */
export function param<T>(c: Context, name: string, schema: z.ZodType<T>): T {
  const raw = c.req.query(name);
  const parsed = schema.safeParse(raw === "" ? undefined : raw);
  if (!parsed.success) {
    throw new ParamError(name, `${name} ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  }
  return parsed.data;
}

/** Every value of a repeatable parameter, also split at commas (`?category=cs.CL,cs.LG`). */
export function listParam(c: Context, name: string): string[] {
  return (c.req.queries(name) ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

export const intParam = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

// Zod runs a refinement even after the regex failed, so the refinement must not throw on any text.
export const dayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isDay(v), { message: "is not a real calendar date" })
  .optional();

export const weekParam = z
  .string()
  .refine((v) => parsePeriod("week", v) !== null, { message: "must be an ISO week YYYY-Www (e.g. 2026-W33)" })
  .optional();

export const monthParam = z
  .string()
  .refine((v) => parsePeriod("month", v) !== null, { message: "must be a month YYYY-MM" })
  .optional();

/** One of `values`, or `fallback` when absent. */
export const enumParam = <T extends string>(values: readonly T[], fallback: T) =>
  z.enum(values as unknown as [T, ...T[]], { message: `must be one of ${values.join(", ")}` }).default(fallback);

export const boolParam = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1");

export function badRequest(c: Context, err: ParamError | Error, parameter?: string) {
  return c.json({ error: err.message, ...(parameter ? { parameter } : {}) }, 400);
}
