// Routes of the email digest for subscribers: the layout's subscribe box (POST /subscribe, the
// same answer whatever the address's state, so it reveals nothing), the confirmation link, the
// signed manage and unsubscribe links of every digest (GET shows a page with a button; POST
// changes; POST /digest/unsubscribe also answers RFC 8058 one-click requests from mail
// providers, without cookie, Origin or CSRF token), and /settings/digest for signed-in accounts.
// The admin pages are registered from admin.tsx.
import type { Context, Hono } from "hono";
import { Unauthenticated } from "../../accounts/policy.ts";
import { hashToken } from "../../accounts/tokens.ts";
import { normalizeEmail, type User, userById } from "../../accounts/users.ts";
import { subscriberLinks } from "../../digests/sender.ts";
import {
  checkManageToken,
  confirmSubscription,
  SubscribeError,
  type Subscriber,
  subscribe,
  subscriberByEmail,
  subscriberById,
  toSubscriber,
  unsubscribe,
  updatePreferences,
} from "../../digests/subscribers.ts";
import type { MailTransport } from "../../mail/transport.ts";
import type { AppDeps } from "../app.tsx";
import { clientIp, viewerOf } from "../auth.ts";
import { registerDigestAdmin } from "./admin.tsx";
import {
  CheckInboxPage,
  ConfirmedPage,
  ConfirmPage,
  DigestSettingsPage,
  LinkProblemPage,
  ManagePage,
  SubscribeProblemPage,
  UnsubscribePage,
} from "./pages.tsx";
import { type FieldError, inputOf, type PrefsValues, valuesFromForm, valuesOf } from "./preferences.tsx";

async function form(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return {};
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Pages reached through a secret link are never cached or sent on as a referrer. */
function private_(c: Context) {
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
}

const SETTINGS_NOTICES: Record<string, string> = {
  subscribed: "You are subscribed. Choose when and what below.",
  saved: "Preferences saved.",
  unsubscribed: "You are unsubscribed: no more digests.",
};

export function registerDigestPages(app: Hono, deps: AppDeps & { mail: MailTransport }) {
  const { db, config } = deps;

  /** The subscriber of a signed link (?s=ID&t=TOKEN), or the page that says why there is none. */
  const linked = async (c: Context): Promise<{ sub: Subscriber; query: string } | Response> => {
    private_(c);
    const s = c.req.query("s") ?? "";
    const t = c.req.query("t") ?? "";
    const id = /^\d{1,15}$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isSafeInteger(id) || !t) {
      const message = "This link is incomplete. Use the link from your latest digest email as it is.";
      return c.html(<LinkProblemPage title="Link not valid" message={message} />, 404);
    }
    if (!(await checkManageToken(db, config, id, t))) {
      const message =
        "This link is not valid: it was changed or cut short. Use the link from your latest digest email. Nothing was changed.";
      return c.html(<LinkProblemPage title="Link not valid" message={message} />, 403);
    }
    const sub = await subscriberById(db, id);
    if (!sub) {
      const message = "This subscription no longer exists.";
      return c.html(<LinkProblemPage title="Subscription not found" message={message} />, 404);
    }
    return { sub, query: `s=${id}&t=${encodeURIComponent(t)}` };
  };

  app.post("/subscribe", async (c) => {
    const f = await form(c);
    const email = (f.email ?? "").trim();
    const shown = email.slice(0, 254);
    try {
      // Whatever the outcome (sent, already active, suppressed, sent a moment ago), one answer.
      await subscribe(db, deps.mail, config, { email, ip: clientIp(c, config.trustProxy) });
    } catch (err) {
      if (err instanceof SubscribeError)
        return c.html(<SubscribeProblemPage message={err.message} email={shown} />, 400);
      throw err;
    }
    return c.html(<CheckInboxPage email={shown} />);
  });

  app.get("/subscribe/confirm", async (c) => {
    private_(c);
    const token = c.req.query("token") ?? "";
    // Named read: is this a pending subscription's confirmation token? (GET changes nothing.)
    const row = token
      ? await db.kysely
          .selectFrom("subscribers")
          .select("status")
          .where("confirm_token_hash", "=", hashToken(token))
          .executeTakeFirst()
      : undefined;
    const valid = row?.status === "pending";
    return c.html(<ConfirmPage token={valid ? token : ""} valid={valid} />, valid ? 200 : 404);
  });

  app.post("/subscribe/confirm", async (c) => {
    private_(c);
    const f = await form(c);
    const sub = f.token ? await confirmSubscription(db, f.token) : null;
    if (!sub) return c.html(<ConfirmPage token="" valid={false} />, 400);
    const links = await subscriberLinks(db, config, sub.id);
    return c.html(<ConfirmedPage sub={sub} manage={links.manage} />);
  });

  const managePage = (
    c: Context,
    sub: Subscriber,
    query: string,
    values: PrefsValues,
    extra: { error?: FieldError; notice?: string } = {},
    status = 200,
  ) =>
    c.html(
      <ManagePage
        sub={sub}
        action={`/digest/manage?${query}`}
        unsubscribe={`/digest/unsubscribe?${query}`}
        values={values}
        {...extra}
      />,
      status as 200,
    );

  app.get("/digest/manage", async (c) => {
    const found = await linked(c);
    if (found instanceof Response) return found;
    const notice = c.req.query("saved") ? "Preferences saved." : undefined;
    return managePage(c, found.sub, found.query, valuesOf(found.sub), notice ? { notice } : {});
  });

  app.post("/digest/manage", async (c) => {
    const found = await linked(c);
    if (found instanceof Response) return found;
    const { sub, query } = found;
    if (sub.status === "unsubscribed") return managePage(c, sub, query, valuesOf(sub), {}, 409);
    const values = valuesFromForm(await form(c));
    try {
      await updatePreferences(db, sub.id, inputOf(values));
    } catch (err) {
      if (err instanceof SubscribeError) {
        return managePage(c, sub, query, values, { error: { field: err.field, message: err.message } }, 400);
      }
      throw err;
    }
    return c.redirect(`/digest/manage?${query}&saved=1`, 303);
  });

  app.get("/digest/unsubscribe", async (c) => {
    const found = await linked(c);
    if (found instanceof Response) return found;
    const { sub, query } = found;
    return c.html(
      <UnsubscribePage
        email={sub.email}
        action={`/digest/unsubscribe?${query}`}
        done={sub.status === "unsubscribed"}
      />,
    );
  });

  // Also RFC 8058 one-click: a bare POST with `List-Unsubscribe=One-Click` (exempt from CSRF in auth.ts).
  app.post("/digest/unsubscribe", async (c) => {
    const found = await linked(c);
    if (found instanceof Response) return found;
    const { sub, query } = found;
    if (sub.status !== "unsubscribed") await unsubscribe(db, sub.id);
    return c.html(<UnsubscribePage email={sub.email} action={`/digest/unsubscribe?${query}`} done />);
  });

  /** The signed-in account, its subscription (by address, or linked to it) and why mail is blocked. */
  const account = async (c: Context) => {
    const viewer = viewerOf(c);
    if (!viewer) throw new Unauthenticated("Sign in to manage your email digest.");
    const user: User = (await userById(db, viewer.id)) ?? viewer;
    const email = normalizeEmail(user.email) ?? user.email;
    let sub = await subscriberByEmail(db, email);
    if (!sub) {
      const row = await db.kysely
        .selectFrom("subscribers")
        .selectAll()
        .where("user_id", "=", user.id)
        .orderBy("id", "desc")
        .executeTakeFirst();
      sub = row ? toSubscriber(row) : null;
    }
    const suppression = await db.kysely
      .selectFrom("suppressions")
      .select("reason")
      .where("email", "=", sub?.email ?? email)
      .executeTakeFirst();
    const blocked =
      suppression && suppression.reason !== "unsubscribe"
        ? `Mail to ${sub?.email ?? email} was refused by its mail server or reported as unwanted, so no digest can be sent to it. Ask the operator to lift the block.`
        : null;
    return { user, email, sub, blocked };
  };

  const settingsPage = async (
    c: Context,
    extra: { error?: FieldError; notice?: string; values?: PrefsValues } = {},
    status = 200,
  ) => {
    const a = await account(c);
    const values = extra.values ?? (a.sub ? valuesOf(a.sub) : null);
    return c.html(
      <DigestSettingsPage
        email={a.sub?.email ?? a.email}
        sub={a.sub}
        blocked={a.blocked}
        values={values}
        error={extra.error}
        notice={extra.notice}
      />,
      status as 200,
    );
  };

  app.get("/settings/digest", (c) => {
    const done = c.req.query("done") ?? "";
    return settingsPage(c, SETTINGS_NOTICES[done] ? { notice: SETTINGS_NOTICES[done] } : {});
  });

  app.post("/settings/digest", async (c) => {
    const a = await account(c);
    const f = await form(c);
    const action = f.action ?? "";
    if (action === "subscribe") {
      const outcome = await subscribe(db, deps.mail, config, { email: a.sub?.email ?? a.email, userId: a.user.id });
      if (outcome === "suppressed") return settingsPage(c, {}, 409);
      return c.redirect("/settings/digest?done=subscribed", 303);
    }
    if (a.sub?.status !== "active") {
      return settingsPage(c, { error: { field: "action", message: "You are not subscribed." } }, 409);
    }
    if (action === "unsubscribe") {
      await unsubscribe(db, a.sub.id);
      return c.redirect("/settings/digest?done=unsubscribed", 303);
    }
    if (action !== "save") {
      return settingsPage(c, { error: { field: "action", message: "Unknown action." } }, 400);
    }
    const values = valuesFromForm(f);
    try {
      await updatePreferences(db, a.sub.id, inputOf(values));
    } catch (err) {
      if (err instanceof SubscribeError) {
        return settingsPage(c, { values, error: { field: err.field, message: err.message } }, 400);
      }
      throw err;
    }
    // Subscribed from the box before signing in: subscribe() links the subscription to the account.
    if (a.sub.userId !== a.user.id) await subscribe(db, deps.mail, config, { email: a.sub.email, userId: a.user.id });
    return c.redirect("/settings/digest?done=saved", 303);
  });

  registerDigestAdmin(app, deps);
}
