// Leases with a frozen clock: one holder at a time, renewal, expiry and release.
import assert from "node:assert/strict";
import { test } from "node:test";
import { testDb } from "../../test/helpers/db.ts";
import { acquireLease, releaseLease } from "./lease.ts";

test("one holder at a time; renewal, expiry and release", async () => {
  const db = await testDb();
  try {
    const t0 = new Date("2026-11-27T10:00:00.000Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    assert.equal(await acquireLease(db, "index", 60_000, "a", t0), true);
    assert.equal(await acquireLease(db, "index", 60_000, "b", at(10)), false, "held by a");
    assert.equal(await acquireLease(db, "index", 60_000, "a", at(50)), true, "a renews");
    assert.equal(await acquireLease(db, "index", 60_000, "b", at(100)), false, "renewal moved expiry to 110 s");
    assert.equal(await acquireLease(db, "index", 60_000, "b", at(111)), true, "expired: b takes it");
    assert.equal(await acquireLease(db, "other", 60_000, "a", at(111)), true, "leases are independent");
    await releaseLease(db, "index", "a");
    assert.equal(await acquireLease(db, "index", 60_000, "c", at(112)), false, "a cannot release b's lease");
    await releaseLease(db, "index", "b");
    assert.equal(await acquireLease(db, "index", 60_000, "c", at(112)), true, "released");
  } finally {
    await db.close();
  }
});

test("concurrent takers: exactly one wins", async () => {
  const db = await testDb();
  try {
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireLease(db, "race", 60_000, `owner-${i}`, now)),
    );
    assert.equal(results.filter(Boolean).length, 1);
  } finally {
    await db.close();
  }
});
