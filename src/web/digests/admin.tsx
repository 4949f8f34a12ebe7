// The admins' digest pages: GET /admin/digests (deliveries by state and edition, whether sending
// is paused and why, the suppression list), /admin/digests/preview?email= (the edition an address
// would get now, built without recording anything: headers, papers with their reasons, the HTML
// in a sandboxed frame and the text part), and /admin/outbox (the newest .eml files of a `file:`
// MAIL_URL, and one message's text). Every route checks assertAdmin first; all are read-only.
import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { sql } from "kysely";
import { assertAdmin } from "../../accounts/policy.ts";
import { normalizeEmail } from "../../accounts/users.ts";
import type { DeliveryState } from "../../db/schema.ts";
import { type PauseState, pauseState } from "../../jobs/digests.ts";
import { AdminFrame, AdminTable } from "../admin-ui.tsx";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { NotFoundPage } from "../pages/errors.tsx";
import {
  isOutboxName,
  listOutbox,
  type OutboxEntry,
  type OutboxMessage,
  outboxFolder,
  readOutboxMessage,
} from "./outbox.ts";
import { type EditionPreview, previewEdition } from "./preview.ts";

const STATES: DeliveryState[] = ["pending", "sending", "sent", "failed", "dead", "skipped"];
const EDITIONS_SHOWN = 30;
const SUPPRESSIONS_SHOWN = 200;
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

interface Dashboard {
  subscribers: Record<string, number>;
  totals: Record<string, number>;
  editions: { edition: string; counts: Record<string, number> }[];
  paused: PauseState | null;
  suppressions: { email: string; reason: string; detail: string | null; createdAt: string }[];
  suppressedTotal: number;
}

export function registerDigestAdmin(app: Hono, deps: AppDeps) {
  const { db, config } = deps;

  app.get("/admin/digests", async (c) => {
    assertAdmin(viewerOf(c));
    const subs = await db.kysely
      .selectFrom("subscribers")
      .select(["status", sql<number>`count(*)`.as("n")])
      .groupBy("status")
      .execute();
    // Named read: deliveries counted by edition and state, newest editions first.
    const rows = await db.kysely
      .selectFrom("deliveries")
      .select(["edition", "state", sql<number>`count(*)`.as("n")])
      .groupBy(["edition", "state"])
      .orderBy("edition", "desc")
      .limit(EDITIONS_SHOWN * STATES.length)
      .execute();
    const totals: Record<string, number> = {};
    const byEdition = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const counts = byEdition.get(r.edition) ?? {};
      counts[r.state] = Number(r.n);
      byEdition.set(r.edition, counts);
    }
    for (const r of await db.kysely
      .selectFrom("deliveries")
      .select(["state", sql<number>`count(*)`.as("n")])
      .groupBy("state")
      .execute()) {
      totals[r.state] = Number(r.n);
    }
    const suppressions = await db.kysely
      .selectFrom("suppressions")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("email")
      .limit(SUPPRESSIONS_SHOWN)
      .execute();
    const suppressedTotal = await db.kysely
      .selectFrom("suppressions")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirst();
    const data: Dashboard = {
      subscribers: Object.fromEntries(subs.map((s) => [s.status, Number(s.n)])),
      totals,
      editions: [...byEdition].slice(0, EDITIONS_SHOWN).map(([edition, counts]) => ({ edition, counts })),
      paused: await pauseState(db),
      suppressions: suppressions.map((s) => ({
        email: s.email,
        reason: s.reason,
        detail: s.detail,
        createdAt: s.created_at,
      })),
      suppressedTotal: Number(suppressedTotal?.n ?? 0),
    };
    return c.html(<DigestDashboardPage data={data} />);
  });

  app.get("/admin/digests/preview", async (c) => {
    assertAdmin(viewerOf(c));
    const raw = (c.req.query("email") ?? "").trim();
    if (!raw) return c.html(<PreviewPage email="" />);
    const email = normalizeEmail(raw);
    if (!email)
      return c.html(<PreviewPage email={raw} error={`"${raw.slice(0, 100)}" is not an email address.`} />, 400);
    const preview = await previewEdition(db, config, deps.search.semantic, email);
    return c.html(<PreviewPage email={email} preview={preview} />);
  });

  app.get("/admin/outbox", async (c) => {
    assertAdmin(viewerOf(c));
    const folder = outboxFolder(config);
    const listing = folder ? await listOutbox(folder) : null;
    return c.html(<OutboxPage folder={folder} entries={listing?.entries ?? []} total={listing?.total ?? 0} />);
  });

  app.get("/admin/outbox/:name", async (c) => {
    assertAdmin(viewerOf(c));
    const folder = outboxFolder(config);
    const name = c.req.param("name");
    const message = folder && isOutboxName(name) ? await readOutboxMessage(folder, name) : null;
    if (!message) return c.html(<NotFoundPage message="There is no such message in the outbox." />, 404);
    return c.html(<OutboxMessagePage message={message} />);
  });
}

const LINKS: [string, string][] = [
  ["/admin", "Moderation"],
  ["/admin/digests", "Digests"],
  ["/admin/digests/preview", "Preview"],
  ["/admin/outbox", "Outbox"],
];

function DigestAdminLayout({ title, children }: { title: string; children?: Child }) {
  return (
    <AdminFrame title={title} section="Digests" links={LINKS}>
      {children}
    </AdminFrame>
  );
}

/** A message's headers, name and value. */
function HeadersTable({ headers }: { headers: [string, string][] }) {
  return (
    <table class="digest-headers">
      <caption>Headers</caption>
      <tbody>
        {headers.map(([k, v]) => (
          <tr>
            <th scope="row">{k}</th>
            <td>
              <code>{v}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DigestDashboardPage({ data }: { data: Dashboard }) {
  return (
    <DigestAdminLayout title="Digests">
      <section aria-labelledby="sending-title">
        <h2 id="sending-title">Sending</h2>
        {data.paused ? (
          <p class="error" role="status">
            Paused until {when(data.paused.until)}: {data.paused.reason}
          </p>
        ) : (
          <p>Running: the worker sends what is due every minute.</p>
        )}
        <p>
          Subscribers: {data.subscribers.active ?? 0} active, {data.subscribers.pending ?? 0} waiting for confirmation,{" "}
          {data.subscribers.unsubscribed ?? 0} unsubscribed.
        </p>
      </section>
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Deliveries</h2>
        <AdminTable
          class="digest-counts"
          caption="Messages by edition and state, newest editions first"
          columns={["Edition", ...STATES]}
        >
          <tr>
            <th scope="row">All</th>
            {STATES.map((s) => (
              <td>{data.totals[s] ?? 0}</td>
            ))}
          </tr>
          {data.editions.map((e) => (
            <tr>
              <th scope="row">{e.edition}</th>
              {STATES.map((s) => (
                <td>{e.counts[s] ?? 0}</td>
              ))}
            </tr>
          ))}
        </AdminTable>
      </section>
      <section aria-labelledby="suppressions-title">
        <h2 id="suppressions-title">Suppression list ({data.suppressedTotal})</h2>
        <p class="muted">
          These addresses get no mail at all. Lift one with <code>paperboy digest unsuppress EMAIL</code>.
        </p>
        {data.suppressions.length === 0 ? (
          <p>No address is suppressed.</p>
        ) : (
          <AdminTable
            class="digest-suppressions"
            caption="Newest first"
            columns={["Address", "Reason", "Since", "Detail"]}
          >
            {data.suppressions.map((s) => (
              <tr>
                <td>{s.email}</td>
                <td>{s.reason}</td>
                <td>{when(s.createdAt)}</td>
                <td>{s.detail ?? ""}</td>
              </tr>
            ))}
          </AdminTable>
        )}
      </section>
    </DigestAdminLayout>
  );
}

function PreviewPage({ email, preview, error }: { email: string; preview?: EditionPreview; error?: string }) {
  const m = preview?.message;
  const headers: [string, string][] = m
    ? [
        ["From", m.from],
        ["To", m.to],
        ["Subject", m.subject],
        ["Message-ID", m.messageId ?? ""],
        ...Object.entries(m.headers ?? {}),
      ]
    : [];
  return (
    <DigestAdminLayout title="Digest preview">
      <form method="get" action="/admin/digests/preview" class="inline">
        <label for="preview-email">Email address</label>
        <input id="preview-email" type="email" name="email" value={email} required />
        <button type="submit">Preview</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {preview && m ? (
        <>
          <p>
            Edition <strong>{preview.edition}</strong> ({preview.subscriber.prefs.frequency}). Nothing was recorded.
          </p>
          {preview.blocked ? <p role="status">Note: {preview.blocked}.</p> : null}
          <HeadersTable headers={headers} />
          <h2>Papers and why</h2>
          {preview.items.length === 0 ? <p>Nothing new worth sending.</p> : null}
          <ol>
            {preview.items.map((i) => (
              <li>
                <strong>{i.reason}</strong> ({i.section}): {preview.cards.get(i.paperId)?.title ?? `paper ${i.paperId}`}
              </li>
            ))}
          </ol>
          <h2>HTML part</h2>
          <iframe
            class="digest-frame"
            title="The HTML part of the digest"
            sandbox=""
            referrerpolicy="no-referrer"
            srcdoc={m.html ?? ""}
          />
          <h2>Text part</h2>
          <pre class="digest-text">{m.text}</pre>
        </>
      ) : null}
    </DigestAdminLayout>
  );
}

function OutboxPage({ folder, entries, total }: { folder: string | null; entries: OutboxEntry[]; total: number }) {
  return (
    <DigestAdminLayout title="Outbox">
      {folder === null ? (
        <p>
          Mail leaves through SMTP (<code>MAIL_URL</code> is not a <code>file:</code> folder), so there is no outbox to
          show.
        </p>
      ) : (
        <>
          <p class="muted">
            {total} {total === 1 ? "message" : "messages"} in <code>{folder}</code>
            {total > entries.length ? `; the newest ${entries.length} are shown` : ""}.
          </p>
          {entries.length === 0 ? (
            <p>The outbox is empty.</p>
          ) : (
            <AdminTable class="outbox" caption="Newest first" columns={["Date", "To", "Subject"]}>
              {entries.map((e) => (
                <tr>
                  <td>{when(e.date)}</td>
                  <td>{e.to}</td>
                  <td>
                    <a href={`/admin/outbox/${encodeURIComponent(e.name)}`}>{e.subject || "(no subject)"}</a>
                  </td>
                </tr>
              ))}
            </AdminTable>
          )}
        </>
      )}
    </DigestAdminLayout>
  );
}

function OutboxMessagePage({ message }: { message: OutboxMessage }) {
  return (
    <DigestAdminLayout title="Outbox message">
      <p>
        <a href="/admin/outbox">← Outbox</a> · <code>{message.name}</code>
      </p>
      <HeadersTable headers={message.headers} />
      <h2>Text</h2>
      {message.text === null ? (
        <p>This message has no plain-text part.</p>
      ) : (
        <pre class="digest-text">{message.text}</pre>
      )}
    </DigestAdminLayout>
  );
}
