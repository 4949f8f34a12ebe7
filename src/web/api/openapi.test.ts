// The OpenAPI document against the running app, so it cannot drift: every GET route registered
// under /api/ (walking app.routes) is documented and nothing else is; every $ref resolves; every
// documented bound, enum and format is enforced with a 400 naming the parameter; and every
// endpoint's real answers (200s, 400s, 404s) match the documented schemas, extra keys included.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { TestDb } from "../../../test/helpers/db.ts";
import { paperRecord } from "../../../test/helpers/factories.ts";
import { testApp } from "../../../test/helpers/web.ts";
import { upsertRecords } from "../../papers/store.ts";

// biome-ignore lint/suspicious/noExplicitAny: a JSON document walked generically
type Json = any;

let db: TestDb;
let app: Hono;
let close: () => Promise<void>;
let doc: Json;

before(async () => {
  ({ db, app, close } = await testApp());
  await upsertRecords(db, [
    paperRecord(
      { arxivId: "2608.00001", title: "A study of diffusion", codeUrl: "https://github.com/x/y", codeStars: 3 },
      { day: "2026-08-14", upvotes: 4, numComments: 1, submittedBy: "ada", organization: "Lab" },
    ),
    paperRecord({ arxivId: "2608.00002", title: "A study of attention" }, { day: "2026-08-14", upvotes: 2 }),
    paperRecord({ arxivId: "hep-th/9901001", title: "A study of strings" }),
  ]);
  const res = await app.request("/openapi.json");
  assert.equal(res.status, 200);
  doc = await res.json();
});
after(() => close());

/** Hono's `/api/papers/:id` and `:number{regex}` in OpenAPI's `{id}` form. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

function resolve(schema: Json): Json {
  let s = schema;
  while (s?.$ref) {
    const name = (s.$ref as string).replace("#/components/schemas/", "");
    s = doc.components.schemas[name];
    assert.ok(s, `unresolved ${schema.$ref}`);
  }
  return s;
}

/** Every property name an object schema allows, through $ref and allOf. */
function propertyNames(schema: Json): Set<string> {
  const s = resolve(schema);
  const names = new Set<string>(Object.keys(s.properties ?? {}));
  for (const part of s.allOf ?? []) for (const n of propertyNames(part)) names.add(n);
  return names;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The errors of `value` against `schema`: a small JSON Schema subset, objects closed to undocumented keys. */
function validate(schema: Json, value: unknown, at: string, errors: string[], closed = true): void {
  const s = resolve(schema);
  if (s.allOf) {
    for (const part of s.allOf) validate(part, value, at, errors, false);
    if (closed && value && typeof value === "object" && !Array.isArray(value)) {
      const allowed = propertyNames(s);
      for (const k of Object.keys(value)) if (!allowed.has(k)) errors.push(`${at}.${k} is not documented`);
    }
    return;
  }
  if (s.oneOf) {
    const passing = s.oneOf.filter((option: Json) => {
      const e: string[] = [];
      validate(option, value, at, e, closed);
      return e.length === 0;
    });
    if (passing.length !== 1) errors.push(`${at} matches ${passing.length} of oneOf`);
    return;
  }
  if ("const" in s && value !== s.const) errors.push(`${at} is not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value)) errors.push(`${at} ${JSON.stringify(value)} is not in the enum`);
  if (s.type) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
    const actual =
      value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
    const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
    if (!ok) return void errors.push(`${at} is ${actual}, documented ${types.join("|")}`);
  }
  if (typeof value === "string" && s.format === "date-time" && !ISO_TIME.test(value)) errors.push(`${at} not ISO`);
  if (typeof value === "string" && s.format === "date" && !ISO_DAY.test(value)) errors.push(`${at} not a day`);
  if (Array.isArray(value) && s.items) {
    for (const [i, v] of value.entries()) validate(s.items, v, `${at}[${i}]`, errors);
  }
  if (value && typeof value === "object" && !Array.isArray(value) && s.properties) {
    const record = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in record)) errors.push(`${at}.${k} is missing`);
    for (const [k, v] of Object.entries(record)) {
      if (s.properties[k]) validate(s.properties[k], v, `${at}.${k}`, errors);
      else if (closed) errors.push(`${at}.${k} is not documented`);
    }
  }
}

/** A request for each documented path, with the path filled in. */
const SAMPLES: Record<string, string> = {
  "/api/health": "/api/health",
  "/api/search": "/api/search?q=study",
  "/api/papers/search": "/api/papers/search?q=study",
  "/api/papers/{id}/similar": "/api/papers/2608.00001/similar",
  "/api/daily_papers": "/api/daily_papers",
  "/api/papers/{id}": "/api/papers/2608.00001",
  "/api/papers/{archive}/{number}": "/api/papers/hep-th/9901001",
  "/api/papers": "/api/papers?limit=2",
  "/api/trending": "/api/trending",
};

test("GET /openapi.json is an OpenAPI 3.1 document whose references all resolve", () => {
  assert.match(doc.openapi, /^3\.1\./);
  assert.ok(doc.info.title);
  const refs: string[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      if (typeof node.$ref === "string") refs.push(node.$ref);
      Object.values(node).forEach(walk);
    }
  };
  walk(doc);
  assert.ok(refs.length > 10);
  for (const r of refs) {
    const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(r) ?? [];
    assert.ok(section && name && doc.components[section]?.[name], `unresolved ${r}`);
  }
});

test("every /api/ route the app registers is documented, and only those", () => {
  const registered = new Set(
    app.routes
      .filter((r) => r.path.startsWith("/api/") && r.method !== "ALL")
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`),
  );
  const documented = new Set(
    Object.entries(doc.paths as Record<string, Json>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
  );
  assert.ok(registered.size >= 9);
  for (const route of registered) assert.ok(documented.has(route), `${route} is registered but not in /openapi.json`);
  for (const route of documented) assert.ok(registered.has(route), `${route} is documented but not registered`);
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(ops as Record<string, Json>)) {
      const names = (op.parameters ?? []).filter((x: Json) => x.in === "path").map((x: Json) => x.name);
      assert.deepEqual(
        names,
        [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        `path parameters of ${method} ${p}`,
      );
      assert.ok(
        Object.keys(op.responses).some((status) => status.startsWith("2")),
        `${method} ${p} documents its answer`,
      );
    }
    if (ops.get && !ops.get.security) assert.ok(SAMPLES[p], `${p} has a sample request in this test`);
  }
});

test("every documented bound, enum, format and length is enforced with a 400 naming the parameter", async () => {
  let checked = 0;
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    if (!ops.get || ops.get.security) continue;
    const sample = new URL(SAMPLES[p] as string, "http://x");
    for (const parameter of ops.get.parameters ?? []) {
      if (parameter.in !== "query") continue;
      const s = parameter.schema;
      const bad: string[] = [];
      if (s.type === "integer" && s.minimum !== undefined) bad.push(String(s.minimum - 1), "abc");
      if (s.type === "integer" && s.maximum !== undefined) bad.push(String(s.maximum + 1));
      if (s.enum) bad.push("bogus");
      if (s.format === "date") bad.push("2026-02-30", "soon");
      if (s.pattern) bad.push("x");
      if (s.maxLength) bad.push("x".repeat(s.maxLength + 1));
      for (const value of bad) {
        const url = new URL(sample);
        url.searchParams.set(parameter.name, value);
        const res = await app.request(url.pathname + url.search);
        assert.equal(res.status, 400, `${url.pathname}${url.search}`);
        const body: Json = await res.json();
        assert.equal(body.parameter, parameter.name, `${url.pathname}${url.search}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 25, `checked ${checked}`);
});

test("every endpoint's answers match their documented schemas", async () => {
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    if (!ops.get || ops.get.security) continue;
    const res = await app.request(SAMPLES[p] as string);
    assert.equal(res.status, 200, p);
    const body = await res.json();
    if (Array.isArray(body)) assert.ok(body.length > 0, `${p} sample answers something`);
    const errors: string[] = [];
    validate(ops.get.responses["200"].content["application/json"].schema, body, p, errors);
    assert.deepEqual(errors, [], p);
    for (const header of Object.keys(ops.get.responses["200"].headers ?? {})) {
      if (header === "X-Total-Count") assert.match(res.headers.get(header) ?? "", /^\d+$/, `${p} ${header}`);
    }
  }
  const daily = await app.request("/api/daily_papers");
  assert.equal(daily.headers.get("x-total-count"), "2");
  const errorSchema = { $ref: "#/components/schemas/Error" };
  for (const [url, status] of [
    ["/api/daily_papers?limit=0", 400],
    ["/api/papers/not-an-id", 400],
    ["/api/papers/2608.99999", 404],
    ["/api/papers/2608.99999/similar", 404],
  ] as const) {
    const res = await app.request(url);
    assert.equal(res.status, status, url);
    const errors: string[] = [];
    validate(errorSchema, await res.json(), url, errors);
    assert.deepEqual(errors, [], url);
  }
});
