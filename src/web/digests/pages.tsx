// Digest pages for subscribers: "check your inbox" after the subscribe box, the confirmation and
// unsubscribe pages (each a button: following a link never changes anything), the signed-link
// manage page and the account's digest settings (both with the form of preferences.tsx).
// Views only; routes.tsx checks tokens and changes state.
import type { Subscriber } from "../../digests/subscribers.ts";
import { Layout } from "../layout.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { type FieldError, PreferencesForm, type PrefsValues, WEEKDAYS } from "./preferences.tsx";

export function CheckInboxPage({ email }: { email: string }) {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p>
        If <strong>{email}</strong> can get our digest, a message with a confirmation link is on its way. Nothing else
        is sent until you click it.
      </p>
      <p class="muted">Nothing arrived after a few minutes? Look in your spam folder.</p>
    </Layout>
  );
}

export function SubscribeProblemPage({ message, email }: { message: string; email: string }) {
  return (
    <Layout title="Subscribe">
      <h1>That address does not look right</h1>
      <p class="error" role="alert">
        {message}
      </p>
      <form method="post" action="/subscribe" class="stack">
        <CsrfField />
        <label for="subscribe-again">Email address</label>
        <input id="subscribe-again" type="email" name="email" required autocomplete="email" value={email} />
        <button type="submit">Subscribe</button>
      </form>
    </Layout>
  );
}

export function ConfirmPage({ token, valid }: { token: string; valid: boolean }) {
  if (!valid) {
    return (
      <Layout title="Confirmation link">
        <h1>This confirmation link is not valid</h1>
        <p>It may have been used already. If you are not subscribed yet, use the subscribe box below again.</p>
      </Layout>
    );
  }
  return (
    <Layout title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      <p>One click and the Paperboy digest starts arriving.</p>
      <form method="post" action="/subscribe/confirm">
        <CsrfField />
        <input type="hidden" name="token" value={token} />
        <button type="submit">Confirm my subscription</button>
      </form>
    </Layout>
  );
}

/** "every day at 07:00 (UTC)", "every weekday …", "every Monday …". */
export function scheduleText(sub: Subscriber): string {
  const { prefs } = sub;
  const when =
    prefs.frequency === "weekly"
      ? `every ${WEEKDAYS[prefs.weeklyDay - 1] ?? "week"}`
      : prefs.weekdaysOnly
        ? "every weekday"
        : "every day";
  return `${when} at ${String(prefs.deliveryHour).padStart(2, "0")}:00 (${prefs.timeZone.replaceAll("_", " ")})`;
}

export function ConfirmedPage({ sub, manage }: { sub: Subscriber; manage: string }) {
  return (
    <Layout title="Subscribed">
      <h1>You are subscribed</h1>
      <p>
        The digest goes to <strong>{sub.email}</strong> {scheduleText(sub)}.
      </p>
      <p>
        <a href={manage}>Manage your preferences</a>: how often, when, in which time zone, and what goes in it.
      </p>
    </Layout>
  );
}

export function LinkProblemPage({ title, message }: { title: string; message: string }) {
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
    </Layout>
  );
}

export function ManagePage(props: {
  sub: Subscriber;
  action: string;
  unsubscribe: string;
  values: PrefsValues;
  error?: FieldError | undefined;
  notice?: string | undefined;
}) {
  const { sub } = props;
  return (
    <Layout title="Digest preferences">
      <h1>Digest preferences</h1>
      <p class="muted">For {sub.email}.</p>
      {props.notice ? <p role="status">{props.notice}</p> : null}
      {sub.status === "unsubscribed" ? (
        <p>
          This address is unsubscribed and gets no digest. To subscribe again, <a href="/signin">sign in</a> with it and
          use your account settings.
        </p>
      ) : (
        <>
          {sub.status === "pending" ? <p>Confirm your subscription from the email we sent first.</p> : null}
          <PreferencesForm
            action={props.action}
            values={props.values}
            error={props.error}
            hasAccount={sub.userId !== null}
          />
          <p>
            <a href={props.unsubscribe}>Unsubscribe</a>
          </p>
        </>
      )}
    </Layout>
  );
}

export function UnsubscribePage({ email, action, done }: { email: string; action: string; done: boolean }) {
  return (
    <Layout title="Unsubscribe">
      {done ? (
        <>
          <h1>You are unsubscribed</h1>
          <p>
            <strong>{email}</strong> gets no more Paperboy digests.
          </p>
        </>
      ) : (
        <>
          <h1>Unsubscribe from the digest?</h1>
          <p>
            <strong>{email}</strong> will get no more Paperboy digests.
          </p>
          <form method="post" action={action}>
            <CsrfField />
            <button type="submit">Unsubscribe</button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function DigestSettingsPage(props: {
  email: string;
  sub: Subscriber | null;
  /** Why this address cannot get mail (bounced, complained), when it cannot. */
  blocked: string | null;
  values: PrefsValues | null;
  error?: FieldError | undefined;
  notice?: string | undefined;
}) {
  const { sub } = props;
  const active = sub?.status === "active";
  return (
    <Layout title="Email digest">
      <p>
        <a href="/settings">← Your account</a>
      </p>
      <h1>Email digest</h1>
      {props.notice ? <p role="status">{props.notice}</p> : null}
      {props.error?.field === "action" ? (
        <p class="error" role="alert">
          {props.error.message}
        </p>
      ) : null}
      {props.blocked ? (
        <p class="error" role="alert">
          {props.blocked}
        </p>
      ) : null}
      {active && props.values ? (
        <>
          <p>
            The digest goes to <strong>{props.email}</strong> {sub ? scheduleText(sub) : ""}.
          </p>
          <PreferencesForm
            action="/settings/digest"
            values={props.values}
            error={props.error}
            hasAccount
            hidden={{ action: "save" }}
          />
          <form method="post" action="/settings/digest" class="inline">
            <CsrfField />
            <input type="hidden" name="action" value="unsubscribe" />
            <button type="submit">Unsubscribe</button>
          </form>
        </>
      ) : (
        <form method="post" action="/settings/digest" class="stack">
          <CsrfField />
          <input type="hidden" name="action" value="subscribe" />
          <p>
            Get trending papers, new papers from authors you follow and matches of your saved searches at{" "}
            <strong>{props.email}</strong>, at the hour you choose.
          </p>
          <button type="submit">Subscribe with {props.email}</button>
        </form>
      )}
    </Layout>
  );
}
