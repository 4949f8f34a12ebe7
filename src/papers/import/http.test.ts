// The polite arXiv client against a local fixture server: pacing between requests, one keep-alive
// connection, the User-Agent, retries on 503 (honouring Retry-After), on truncated bodies and closed
// connections, timeouts, and the clear error once the attempts run out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture, inOrder, startFixtureServer } from "../../../test/helpers/fixture-server.ts";
import { ArxivClient, ArxivHttpError, parseRetryAfter } from "./http.ts";

const PAGE = "arxiv/api-cscl-page1.xml";

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

test("requests are spaced by minIntervalMs, share one connection and name Paperboy", async () => {
  const server = await startFixtureServer(inOrder({ file: PAGE }));
  const client = new ArxivClient({ minIntervalMs: 50 });
  try {
    // Issued all at once: the client must still send them one after another, 50 ms apart.
    const bodies = await Promise.all([1, 2, 3, 4].map((n) => client.get(`${server.url}/api/query?n=${n}`)));
    assert.equal(bodies.length, 4);
    for (const res of bodies) {
      assert.equal(res.status, 200);
      assert.equal(res.body, fixture(PAGE));
    }
    assert.deepEqual(
      server.requests.map((r) => r.query.get("n")),
      ["1", "2", "3", "4"],
      "sent in the order asked",
    );
    for (const gap of gaps(server.requests.map((r) => r.at))) assert.ok(gap >= 50, `gap ${gap} ms < 50 ms`);
    assert.deepEqual(new Set(server.requests.map((r) => r.socketId)), new Set([1]), "one keep-alive connection");
    assert.match(String(server.requests[0]?.headers["user-agent"]), /^Paperboy\//);
  } finally {
    await client.close();
    await server.close();
  }
});

test("the client asks for gzip and decodes a gzip-encoded body", async () => {
  const server = await startFixtureServer(inOrder({ file: PAGE, gzip: true }));
  const client = new ArxivClient({ minIntervalMs: 0 });
  try {
    const res = await client.get(`${server.url}/api/query`);
    assert.match(String(server.requests[0]?.headers["accept-encoding"]), /gzip/);
    assert.equal(res.body, fixture(PAGE));
  } finally {
    await client.close();
    await server.close();
  }
});

test("HTTP 503 with Retry-After in seconds is retried after that wait", async () => {
  const server = await startFixtureServer(
    inOrder({ status: 503, body: "Service Unavailable", headers: { "retry-after": "1" } }, { file: PAGE }),
  );
  const client = new ArxivClient({ minIntervalMs: 10, retryBaseMs: 10 });
  try {
    const res = await client.get(`${server.url}/api/query`);
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 2);
    assert.equal(server.requests.length, 2);
    const [gap] = gaps(server.requests.map((r) => r.at));
    assert.ok((gap as number) >= 1000, `retried after ${gap} ms, before the 1 s Retry-After`);
  } finally {
    await client.close();
    await server.close();
  }
});

test("Retry-After accepts seconds and HTTP dates; nonsense is ignored", () => {
  const now = Date.parse("2026-11-06T12:00:00Z");
  assert.equal(parseRetryAfter("120", now), 120_000);
  assert.equal(parseRetryAfter("Fri, 06 Nov 2026 12:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Fri, 06 Nov 2026 11:00:00 GMT", now), 0, "a past date means now");
  assert.equal(parseRetryAfter("soon", now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
});

test("a Retry-After longer than the client will wait fails at once, saying so", async () => {
  const server = await startFixtureServer(
    inOrder({ status: 429, body: "slow down", headers: { "retry-after": "7200" } }),
  );
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 10, maxRetryAfterMs: 60_000 });
  try {
    await assert.rejects(client.get(`${server.url}/api/query`), (err: Error) => {
      assert.ok(err instanceof ArxivHttpError);
      assert.equal(err.status, 429);
      assert.match(err.message, /asked to wait 7200 s \(Retry-After\)/);
      return true;
    });
    assert.equal(server.requests.length, 1);
  } finally {
    await client.close();
    await server.close();
  }
});

test("a truncated body and a connection closed early are retried on a new connection", async () => {
  const server = await startFixtureServer(
    inOrder({ truncate: { file: PAGE, bytes: 700 } }, { destroy: true }, { file: PAGE }),
  );
  const client = new ArxivClient({ minIntervalMs: 20, retryBaseMs: 10 });
  try {
    const res = await client.get(`${server.url}/api/query`);
    assert.equal(res.body, fixture(PAGE), "the full page, not the truncated one");
    assert.equal(res.attempts, 3);
    assert.equal(server.requests.length, 3);
  } finally {
    await client.close();
    await server.close();
  }
});

test("a body that keeps arriving cut short ends in an error that says so", async () => {
  const server = await startFixtureServer(inOrder({ truncate: { file: PAGE, bytes: 300 } }));
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 5, maxAttempts: 2 });
  try {
    await assert.rejects(
      client.get(`${server.url}/api/query`),
      /gave up after 2 attempt\(s\); last: truncated body: 300 of \d+ bytes arrived/,
    );
    assert.equal(server.requests.length, 2);
  } finally {
    await client.close();
    await server.close();
  }
});

test("after the last attempt the error names the URL, the attempts and the last problem", async () => {
  const server = await startFixtureServer(inOrder({ status: 502, body: "Bad Gateway" }));
  const client = new ArxivClient({ minIntervalMs: 5, retryBaseMs: 10, maxAttempts: 3 });
  try {
    await assert.rejects(client.get(`${server.url}/api/query?x=1`), (err: Error) => {
      assert.ok(err instanceof ArxivHttpError);
      assert.match(err.message, /\/api\/query\?x=1: gave up after 3 attempt\(s\); last: HTTP 502/);
      return true;
    });
    assert.equal(server.requests.length, 3, "bounded attempts");
    const [first, second] = gaps(server.requests.map((r) => r.at));
    assert.ok((first as number) >= 10 && (second as number) >= 20, "exponential backoff: 10 ms, then 20 ms");
  } finally {
    await client.close();
    await server.close();
  }
});

test("a server that never answers times out and is retried, then fails clearly", async () => {
  const server = await startFixtureServer(inOrder({ stall: true }));
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 10, maxAttempts: 2, timeoutMs: 150 });
  try {
    await assert.rejects(
      client.get(`${server.url}/api/query`),
      /gave up after 2 attempt\(s\); last: timed out waiting/,
    );
    assert.equal(server.requests.length, 2);
  } finally {
    await client.close();
    await server.close();
  }
});

test("statuses that are not worth retrying are returned to the caller at once", async () => {
  const server = await startFixtureServer(inOrder({ status: 400, file: "arxiv/api-error.xml" }));
  const client = new ArxivClient({ minIntervalMs: 0, retryBaseMs: 10 });
  try {
    const res = await client.get(`${server.url}/api/query`);
    assert.equal(res.status, 400);
    assert.match(res.body, /start must be non-negative/);
    assert.equal(server.requests.length, 1);
  } finally {
    await client.close();
    await server.close();
  }
});
