// When a subscriber's editions are due: at their delivery hour in their own time zone, every day,
// every weekday, or once a week; and which edition (a local date, or an ISO week) a slot belongs
// to. Pure functions of the preferences and an instant, so they are tested with exact values.
import { weekOf } from "../papers/periods.ts";

export interface SchedulePrefs {
  frequency: "daily" | "weekly";
  weekdaysOnly: boolean;
  /** ISO weekday of weekly editions: 1 Monday … 7 Sunday. */
  weeklyDay: number;
  /** Local hour, 0–23. */
  deliveryHour: number;
  /** IANA time zone, e.g. Pacific/Apia or America/New_York. */
  timeZone: string;
}

const DAY_MS = 86_400_000;
/** Far enough to find the next slot of any schedule (weekly: 7 days; DST shifts add a day). */
const SEARCH_DAYS = 9;

/** True when `tz` is a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `tz`. */
function localParts(instant: number, tz: string) {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The local date (YYYY-MM-DD) of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  const p = localParts(instant.getTime(), tz);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** How far `tz` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, tz: string): number {
  const p = localParts(instant, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of local `day` at `hour`:00 in `tz` (the later one if DST repeats it, the next hour if it skips it). */
export function instantOf(day: string, hour: number, tz: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  let guess = wall - offsetAt(wall, tz);
  guess = wall - offsetAt(guess, tz);
  return new Date(guess);
}

/** ISO weekday (1 Monday … 7 Sunday) of a YYYY-MM-DD day. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a local day gets an edition. */
export function qualifies(prefs: SchedulePrefs, day: string): boolean {
  const wd = isoWeekday(day);
  if (prefs.frequency === "weekly") return wd === prefs.weeklyDay;
  return !prefs.weekdaysOnly || wd <= 5;
}

/** The edition a slot on local `day` belongs to: the day itself, or its ISO week. */
export function editionOf(prefs: SchedulePrefs, day: string): string {
  return prefs.frequency === "weekly" ? weekOf(day) : day;
}

export interface Slot {
  at: Date;
  day: string;
  edition: string;
}

/** The first slot strictly after `after`. */
export function nextSlot(prefs: SchedulePrefs, after: Date): Slot {
  const today = localDate(after, prefs.timeZone);
  for (let i = -1; i <= SEARCH_DAYS; i++) {
    const day = addDays(today, i);
    if (!qualifies(prefs, day)) continue;
    const at = instantOf(day, prefs.deliveryHour, prefs.timeZone);
    if (at.getTime() > after.getTime()) return { at, day, edition: editionOf(prefs, day) };
  }
  throw new Error(`no delivery slot within ${SEARCH_DAYS} days for ${JSON.stringify(prefs)}`);
}

/** The latest slot at or before `now` (what a scheduler catching up after downtime sends, once). */
export function lastSlot(prefs: SchedulePrefs, now: Date): Slot {
  const today = localDate(now, prefs.timeZone);
  for (let i = 1; i >= -SEARCH_DAYS; i--) {
    const day = addDays(today, i);
    if (!qualifies(prefs, day)) continue;
    const at = instantOf(day, prefs.deliveryHour, prefs.timeZone);
    if (at.getTime() <= now.getTime()) return { at, day, edition: editionOf(prefs, day) };
  }
  throw new Error(`no delivery slot within ${SEARCH_DAYS} days for ${JSON.stringify(prefs)}`);
}
