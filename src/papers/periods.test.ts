import assert from "node:assert/strict";
import { test } from "node:test";
import { isDay, parsePeriod, periodOf, weekOf } from "./periods.ts";

test("ISO weeks: years whose week 1 starts in December or whose 1 January is in week 53", () => {
  assert.equal(weekOf("2026-08-14"), "2026-W33");
  assert.equal(weekOf("2024-12-30"), "2025-W01"); // Monday of week 1 of 2025
  assert.equal(weekOf("2021-01-03"), "2020-W53"); // Sunday, still in 2020's last week
  assert.equal(weekOf("2026-01-01"), "2026-W01");
});

test("a week runs Monday to Sunday and knows its neighbours across a year end", () => {
  const w = parsePeriod("week", "2026-W01");
  assert.deepEqual(
    { from: w?.from, until: w?.until, prev: w?.prev, next: w?.next },
    { from: "2025-12-29", until: "2026-01-05", prev: "2025-W52", next: "2026-W02" },
  );
  assert.equal(w?.label, "Week 1, 29 December–4 January 2026");
  assert.equal(parsePeriod("week", "2026-W33")?.label, "Week 33, 10–16 August 2026");
  assert.equal(parsePeriod("week", "2020-W53")?.from, "2020-12-28");
  assert.equal(parsePeriod("week", "2025-W53"), null, "2025 has 52 weeks");
  assert.equal(parsePeriod("week", "2026-W53")?.from, "2026-12-28", "2026 has 53");
  assert.equal(parsePeriod("week", "2026-W00"), null);
  assert.equal(parsePeriod("week", "2026-33"), null);
});

test("months and days: ranges, neighbours, labels and invalid keys", () => {
  assert.deepEqual(parsePeriod("month", "2026-12"), {
    kind: "month",
    key: "2026-12",
    from: "2026-12-01",
    until: "2027-01-01",
    prev: "2026-11",
    next: "2027-01",
    label: "December 2026",
  });
  assert.equal(parsePeriod("month", "2026-01")?.prev, "2025-12");
  assert.equal(parsePeriod("month", "2026-13"), null);
  const d = parsePeriod("day", "2024-02-29");
  assert.equal(d?.label, "Thursday 29 February 2024");
  assert.equal(d?.next, "2024-03-01");
  assert.equal(parsePeriod("day", "2026-02-29"), null);
  assert.equal(isDay("2026-8-1"), false);
  assert.equal(periodOf("week", "2026-08-16").key, "2026-W33");
});
