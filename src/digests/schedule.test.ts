import assert from "node:assert/strict";
import { test } from "node:test";
import { instantOf, lastSlot, localDate, nextSlot, type SchedulePrefs } from "./schedule.ts";

const daily = (tz: string, extra: Partial<SchedulePrefs> = {}): SchedulePrefs => ({
  frequency: "daily",
  weekdaysOnly: false,
  weeklyDay: 1,
  deliveryHour: 7,
  timeZone: tz,
  ...extra,
});

test("local delivery hours become exact UTC instants, across DST changes", () => {
  assert.equal(instantOf("2026-11-27", 7, "UTC").toISOString(), "2026-11-27T07:00:00.000Z");
  assert.equal(instantOf("2026-11-27", 7, "Pacific/Tongatapu").toISOString(), "2026-11-26T18:00:00.000Z"); // UTC+13
  assert.equal(instantOf("2026-11-27", 7, "Pacific/Honolulu").toISOString(), "2026-11-27T17:00:00.000Z"); // UTC-10
  assert.equal(instantOf("2026-07-01", 7, "Europe/Paris").toISOString(), "2026-07-01T05:00:00.000Z"); // summer, +2
  assert.equal(instantOf("2026-12-01", 7, "Europe/Paris").toISOString(), "2026-12-01T06:00:00.000Z"); // winter, +1
  assert.equal(instantOf("2026-03-08", 7, "America/New_York").toISOString(), "2026-03-08T11:00:00.000Z"); // DST day
});

test("subscribers at UTC+13 and UTC-10 get the edition of their own local day", () => {
  const now = new Date("2026-11-27T12:00:00Z");
  const east = lastSlot(daily("Pacific/Tongatapu"), now);
  const west = lastSlot(daily("Pacific/Honolulu"), now);
  assert.equal(localDate(now, "Pacific/Tongatapu"), "2026-11-28");
  // 01:00 on the 28th in Tonga: the 28th's 07:00 slot is still ahead, so the latest is the 27th's.
  assert.deepEqual([east.edition, east.at.toISOString()], ["2026-11-27", "2026-11-26T18:00:00.000Z"]);
  assert.deepEqual([west.edition, west.at.toISOString()], ["2026-11-26", "2026-11-26T17:00:00.000Z"]);
  assert.deepEqual(
    [nextSlot(daily("Pacific/Tongatapu"), now).edition, nextSlot(daily("Pacific/Honolulu"), now).edition],
    ["2026-11-28", "2026-11-27"],
  );
});

test("weekdays only: nothing on Saturday or Sunday; weekly: the chosen weekday, keyed by ISO week", () => {
  const prefs = daily("UTC", { weekdaysOnly: true });
  const saturday = new Date("2026-11-28T09:00:00Z");
  assert.equal(lastSlot(prefs, saturday).edition, "2026-11-27", "the latest slot is Friday's");
  assert.equal(nextSlot(prefs, saturday).edition, "2026-11-30", "the next is Monday's");
  const weekly = daily("UTC", { frequency: "weekly", weeklyDay: 1 });
  assert.deepEqual(
    [nextSlot(weekly, saturday).edition, nextSlot(weekly, saturday).at.toISOString()],
    ["2026-W49", "2026-11-30T07:00:00.000Z"],
  );
  assert.equal(lastSlot(weekly, saturday).edition, "2026-W48");
});
