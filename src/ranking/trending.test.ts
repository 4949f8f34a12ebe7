import assert from "node:assert/strict";
import { test } from "node:test";
import { ageHours, effectiveVotes, trendingScore } from "./trending.ts";

// A frozen clock: every age below is measured from this instant.
const NOW = new Date("2026-08-14T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

test("trending score: exact values with a frozen clock", () => {
  assert.equal(trendingScore({ upvotes: 10, since: hoursAgo(22) }, NOW), 0.010671493447314254); // 10.5 / 46^1.8
  assert.equal(trendingScore({ upvotes: 0, since: hoursAgo(0) }, NOW), 0.0016390408182203157); // 0.5 / 24^1.8
  assert.equal(trendingScore({ upvotes: 100, since: hoursAgo(46) }, NOW), 0.047972194930921634); // 100.5 / 70^1.8
  assert.equal(trendingScore({ upvotes: 4000, since: hoursAgo(22) }, NOW), 2.4257771795026213); // 2386.29… / 46^1.8
});

test("trending score: a day-old paper needs more votes than a new one to rank above it", () => {
  const fresh = trendingScore({ upvotes: 10, since: hoursAgo(2) }, NOW);
  const older = trendingScore({ upvotes: 10, since: hoursAgo(26) }, NOW);
  // (50/26)^1.8 ≈ 3.24: the older paper needs more than 3.24 times the votes.
  const olderThrice = trendingScore({ upvotes: 31, since: hoursAgo(26) }, NOW);
  const olderFourTimes = trendingScore({ upvotes: 40, since: hoursAgo(26) }, NOW);
  assert.ok(fresh > older);
  assert.ok(fresh > olderThrice);
  assert.ok(olderFourTimes > fresh);
});

test("trending score: unknown or future dates and negative votes", () => {
  assert.equal(trendingScore({ upvotes: 50, since: null }, NOW), 0);
  assert.equal(trendingScore({ upvotes: 50, since: new Date("not a date") }, NOW), 0);
  assert.equal(ageHours(new Date("2026-08-15T00:00:00Z"), NOW), 0, "a future date counts as age 0");
  assert.equal(effectiveVotes(-3), 0);
  assert.equal(effectiveVotes(1000), 1000);
  assert.equal(effectiveVotes(4000), 2386.2943611198907, "logarithmic above the soft cap");
});
