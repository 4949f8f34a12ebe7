// The digest preferences form, shared by the signed-link manage page and account settings: how
// often (daily, weekdays only, weekly on a chosen day), the local delivery hour and time zone, the
// sections (trending count, follows, saved searches, collections), the most papers per email and
// whether to send when nothing is new; with the conversions between the form, a Subscriber and
// updatePreferences() input, and refused fields named next to their inputs.
import type { PreferencesInput, Subscriber } from "../../digests/subscribers.ts";
import { CsrfField } from "../pages/forms.tsx";

/** The preferences form as typed: strings and ticks, so a refused value is shown back as it was. */
export interface PrefsValues {
  frequency: string;
  weekdaysOnly: boolean;
  weeklyDay: string;
  deliveryHour: string;
  timeZone: string;
  trending: string;
  follows: boolean;
  savedSearches: boolean;
  collections: boolean;
  maxPapers: string;
  sendEmpty: boolean;
}

/** A refused field: its form name (SubscribeError.field) and the reason. */
export interface FieldError {
  field: string;
  message: string;
}

export function valuesOf(sub: Subscriber): PrefsValues {
  return {
    frequency: sub.prefs.frequency,
    weekdaysOnly: sub.prefs.weekdaysOnly,
    weeklyDay: String(sub.prefs.weeklyDay),
    deliveryHour: String(sub.prefs.deliveryHour),
    timeZone: sub.prefs.timeZone,
    trending: String(sub.sections.trending),
    follows: sub.sections.follows,
    savedSearches: sub.sections.savedSearches,
    collections: sub.sections.collections,
    maxPapers: String(sub.maxPapers),
    sendEmpty: sub.sendEmpty,
  };
}

export function valuesFromForm(f: Record<string, string>): PrefsValues {
  const on = (k: string) => f[k] === "1" || f[k] === "on";
  return {
    frequency: f.frequency ?? "",
    weekdaysOnly: on("weekdays_only"),
    weeklyDay: f.weekly_day ?? "",
    deliveryHour: f.delivery_hour ?? "",
    timeZone: (f.time_zone ?? "").trim(),
    trending: f.trending ?? "",
    follows: on("follows"),
    savedSearches: on("saved_searches"),
    collections: on("collections"),
    maxPapers: f.max_papers ?? "",
    sendEmpty: on("send_empty"),
  };
}

/** A whole number as typed, or NaN (so "" and "7.5" are refused, not read as 0 or 7). */
const whole = (s: string) => (/^\s*\d{1,4}\s*$/.test(s) ? Number(s) : Number.NaN);

export function inputOf(v: PrefsValues): PreferencesInput {
  return {
    frequency: v.frequency,
    weekdaysOnly: v.weekdaysOnly,
    weeklyDay: whole(v.weeklyDay),
    deliveryHour: whole(v.deliveryHour),
    timeZone: v.timeZone,
    sections: {
      trending: whole(v.trending),
      follows: v.follows,
      savedSearches: v.savedSearches,
      collections: v.collections,
    },
    maxPapers: whole(v.maxPapers),
    sendEmpty: v.sendEmpty,
  };
}

const LABELS: Record<string, string> = {
  frequency: "How often",
  weekly_day: "Day of the weekly email",
  delivery_hour: "Delivery hour",
  time_zone: "Time zone",
  trending: "Trending papers",
  max_papers: "Most papers per email",
};
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

let zones: string[] | null = null;
/** Every time zone this runtime knows, UTC first. */
function timeZones(): string[] {
  zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
  return zones;
}

function Problem({ error }: { error?: FieldError | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {LABELS[error.field] ? (
        <>
          <a href={`#${error.field}`}>{LABELS[error.field]}</a>:{" "}
        </>
      ) : null}
      {error.message}
    </p>
  );
}

/** aria attributes of a field, marking the refused one. */
const invalid = (error: FieldError | undefined, field: string) =>
  error?.field === field ? { "aria-invalid": "true", "aria-describedby": `${field}-error` } : {};

function FieldNote({ error, field }: { error?: FieldError | undefined; field: string }) {
  return error?.field === field ? (
    <span id={`${field}-error`} class="error">
      {error.message}
    </span>
  ) : null;
}

export function PreferencesForm(props: {
  action: string;
  values: PrefsValues;
  error?: FieldError | undefined;
  /** Account-only sections are explained when the subscription has no account. */
  hasAccount: boolean;
  /** Extra hidden fields (the settings form's action). */
  hidden?: Record<string, string>;
}) {
  const { values: v, error } = props;
  const zoneList = timeZones().includes(v.timeZone) || !v.timeZone ? timeZones() : [v.timeZone, ...timeZones()];
  const accountOnly = props.hasAccount ? "" : " (needs an account with this address)";
  return (
    <form method="post" action={props.action} class="stack digest-prefs">
      <CsrfField />
      {Object.entries(props.hidden ?? {}).map(([k, val]) => (
        <input type="hidden" name={k} value={val} />
      ))}
      <Problem error={error} />
      <fieldset>
        <legend>When</legend>
        <label for="frequency">How often</label>
        <select id="frequency" name="frequency" {...invalid(error, "frequency")}>
          <option value="daily" selected={v.frequency === "daily"}>
            Daily
          </option>
          <option value="weekly" selected={v.frequency === "weekly"}>
            Weekly
          </option>
        </select>
        <FieldNote error={error} field="frequency" />
        <label>
          <input type="checkbox" name="weekdays_only" value="1" checked={v.weekdaysOnly} /> Daily: weekdays only
        </label>
        <label for="weekly_day">Day of the weekly email</label>
        <select id="weekly_day" name="weekly_day" {...invalid(error, "weekly_day")}>
          {WEEKDAYS.map((d, i) => (
            <option value={String(i + 1)} selected={v.weeklyDay === String(i + 1)}>
              {d}
            </option>
          ))}
        </select>
        <FieldNote error={error} field="weekly_day" />
        <label for="delivery_hour">Delivery hour</label>
        <select id="delivery_hour" name="delivery_hour" {...invalid(error, "delivery_hour")}>
          {Array.from({ length: 24 }, (_, h) => (
            <option value={String(h)} selected={v.deliveryHour === String(h)}>
              {`${String(h).padStart(2, "0")}:00`}
            </option>
          ))}
        </select>
        <FieldNote error={error} field="delivery_hour" />
        <label for="time_zone">Time zone</label>
        <select id="time_zone" name="time_zone" {...invalid(error, "time_zone")}>
          {zoneList.map((z) => (
            <option value={z} selected={v.timeZone === z}>
              {z.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        <FieldNote error={error} field="time_zone" />
      </fieldset>
      <fieldset>
        <legend>What</legend>
        <label for="trending">Trending papers (0 for none)</label>
        <input
          id="trending"
          name="trending"
          type="number"
          min="0"
          max="50"
          value={v.trending}
          {...invalid(error, "trending")}
        />
        <FieldNote error={error} field="trending" />
        <label>
          <input type="checkbox" name="follows" value="1" checked={v.follows} /> New papers from authors and categories
          you follow{accountOnly}
        </label>
        <label>
          <input type="checkbox" name="saved_searches" value="1" checked={v.savedSearches} /> New matches of your saved
          searches{accountOnly}
        </label>
        <label>
          <input type="checkbox" name="collections" value="1" checked={v.collections} /> Papers like the ones in your
          collections{accountOnly}
        </label>
        <label for="max_papers">Most papers per email</label>
        <input
          id="max_papers"
          name="max_papers"
          type="number"
          min="1"
          max="50"
          value={v.maxPapers}
          {...invalid(error, "max_papers")}
        />
        <FieldNote error={error} field="max_papers" />
        <label>
          <input type="checkbox" name="send_empty" value="1" checked={v.sendEmpty} /> Send an email even when there is
          nothing new
        </label>
      </fieldset>
      <button type="submit">Save preferences</button>
    </form>
  );
}
