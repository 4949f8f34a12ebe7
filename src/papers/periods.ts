// Daily Papers periods: a day (YYYY-MM-DD), an ISO week (YYYY-Www, Monday to Sunday) or a month
// (YYYY-MM), each as a half-open range of days [from, until) with its neighbours and a label.
// Pure functions of the key, shared by the pages, the API and the feeds.

export type PeriodKind = "day" | "week" | "month";

export interface Period {
  kind: PeriodKind;
  /** The key as it appears in URLs: 2026-08-14, 2026-W33, 2026-08. */
  key: string;
  /** First day (inclusive). */
  from: string;
  /** Day after the last (exclusive). */
  until: string;
  /** The previous and next periods' keys. */
  prev: string;
  next: string;
  /** For people: "Friday 14 August 2026", "Week 33, 10–16 August 2026", "August 2026". */
  label: string;
}

const DAY_MS = 86_400_000;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(dayMs(value)) && iso(dayMs(value)) === value;
}

export function addDays(day: string, n: number): string {
  return iso(dayMs(day) + n * DAY_MS);
}

/** Monday of ISO week 1 of `year`: the week holding 4 January. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  return jan4 - weekday * DAY_MS;
}

/** The ISO week key (YYYY-Www) holding `day`. */
export function weekOf(day: string): string {
  const ms = dayMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = ms + (3 - weekday) * DAY_MS; // the week belongs to the year of its Thursday
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function monthOf(day: string): string {
  return day.slice(0, 7);
}

function dayPeriod(day: string): Period {
  const d = new Date(dayMs(day));
  return {
    kind: "day",
    key: day,
    from: day,
    until: addDays(day, 1),
    prev: addDays(day, -1),
    next: addDays(day, 1),
    label: `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
  };
}

function weekPeriod(key: string): Period | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > 53) return null;
  const monday = isoWeekOneMonday(year) + (week - 1) * 7 * DAY_MS;
  const from = iso(monday);
  if (weekOf(from) !== key) return null; // week 53 of a year that has only 52
  const sunday = new Date(monday + 6 * DAY_MS);
  const first = new Date(monday);
  const sameMonth = first.getUTCMonth() === sunday.getUTCMonth();
  const start = sameMonth ? `${first.getUTCDate()}` : `${first.getUTCDate()} ${MONTHS[first.getUTCMonth()]}`;
  return {
    kind: "week",
    key,
    from,
    until: addDays(from, 7),
    prev: weekOf(addDays(from, -7)),
    next: weekOf(addDays(from, 7)),
    label: `Week ${week}, ${start}–${sunday.getUTCDate()} ${MONTHS[sunday.getUTCMonth()]} ${sunday.getUTCFullYear()}`,
  };
}

function monthPeriod(key: string): Period | null {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  const from = iso(Date.UTC(year, month - 1, 1));
  const until = iso(Date.UTC(year, month, 1));
  return {
    kind: "month",
    key,
    from,
    until,
    prev: iso(Date.UTC(year, month - 2, 1)).slice(0, 7),
    next: until.slice(0, 7),
    label: `${MONTHS[month - 1]} ${year}`,
  };
}

/** The period named by `key` of `kind`, or null when the key is not a valid one. */
export function parsePeriod(kind: PeriodKind, key: string): Period | null {
  if (kind === "day") return isDay(key) ? dayPeriod(key) : null;
  return kind === "week" ? weekPeriod(key) : monthPeriod(key);
}

/** The period of `kind` that holds `day`. */
export function periodOf(kind: PeriodKind, day: string): Period {
  const key = kind === "day" ? day : kind === "week" ? weekOf(day) : monthOf(day);
  return parsePeriod(kind, key) as Period;
}
