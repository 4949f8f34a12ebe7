// Sign-in and account pages: the email form, "check your inbox", the link's confirmation page
// (a button, so a mail scanner that follows links cannot use the token), and settings: profile,
// API tokens, sign out everywhere.
import type { ApiTokenInfo, User } from "../../accounts/users.ts";
import { shortDate } from "../components.tsx";
import { Layout } from "../layout.tsx";
import { CsrfField } from "./forms.tsx";

export function SignInPage({ next, error, email }: { next: string | null; error?: string; email?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p class="lede">
        We email you a link that signs you in. No password. New here? The same link creates your account.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action="/signin" class="stack">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <label for="signin-email">Email address</label>
        <input id="signin-email" type="email" name="email" required autocomplete="email" value={email ?? ""} />
        <button type="submit">Email me a sign-in link</button>
      </form>
    </Layout>
  );
}

export function CheckInboxPage({ email }: { email: string }) {
  return (
    <Layout title="Check your inbox">
      <h1>Check your inbox</h1>
      <p>
        If <strong>{email}</strong> can receive mail, a sign-in link is on its way. It works once, within 15 minutes.
      </p>
    </Layout>
  );
}

export function VerifyPage({
  token,
  next,
  state,
}: {
  token: string;
  next: string | null;
  state: "valid" | "used" | "expired" | "unknown";
}) {
  if (state !== "valid") {
    const why =
      state === "used"
        ? "This sign-in link has already been used."
        : state === "expired"
          ? "This sign-in link has expired."
          : "This sign-in link is not valid.";
    return (
      <Layout title="Sign-in link">
        <h1>{why}</h1>
        <p>
          <a href="/signin">Ask for a new link</a>.
        </p>
      </Layout>
    );
  }
  return (
    <Layout title="Sign in">
      <h1>Sign in to Paperboy</h1>
      <form method="post" action="/signin/verify">
        <input type="hidden" name="token" value={token} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function SettingsPage({
  user,
  tokens,
  newToken,
  error,
  notice,
}: {
  user: User;
  tokens: ApiTokenInfo[];
  newToken?: string;
  error?: { field: string; message: string };
  notice?: string;
}) {
  return (
    <Layout title="Your account">
      <h1>Your account</h1>
      {notice ? <p role="status">{notice}</p> : null}
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <p class="muted">Signed in as {user.email}.</p>
        {error ? (
          <p class="error" role="alert">
            {error.message}
          </p>
        ) : null}
        <form method="post" action="/settings/profile" class="stack">
          <CsrfField />
          <label for="display_name">Display name</label>
          <input id="display_name" name="display_name" value={user.displayName} required maxlength={80} />
          <label for="username">Username</label>
          <input id="username" name="username" value={user.username} required pattern="[a-z0-9][a-z0-9_\-]{1,29}" />
          <button type="submit">Save profile</button>
        </form>
      </section>
      <section aria-labelledby="tokens-title">
        <h2 id="tokens-title">API tokens</h2>
        <p>
          For scripts using the write API: send <code>Authorization: Bearer TOKEN</code>. A token is shown once.
        </p>
        {newToken ? (
          <p class="new-token" role="status">
            Your new token (copy it now, it will not be shown again): <code>{newToken}</code>
          </p>
        ) : null}
        {tokens.length > 0 ? (
          <table>
            <caption>Active tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>{shortDate(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? shortDate(t.lastUsedAt) : "never"}</td>
                  <td>
                    <form method="post" action={`/settings/tokens/${t.id}/revoke`}>
                      <CsrfField />
                      <button type="submit">Revoke</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <form method="post" action="/settings/tokens" class="inline">
          <CsrfField />
          <label for="token-name">Token name</label>
          <input id="token-name" name="name" required maxlength={80} placeholder="my script" />
          <button type="submit">Create token</button>
        </form>
      </section>
      <section aria-labelledby="digest-title">
        <h2 id="digest-title">Digest</h2>
        <p>
          <a href="/settings/digest">Email digest</a>: trending papers and news from what you follow, at the hour you
          choose.
        </p>
      </section>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <form method="post" action="/signout/everywhere">
          <CsrfField />
          <p>Signs out every browser where you are signed in, including this one.</p>
          <button type="submit">Sign out everywhere</button>
        </form>
      </section>
    </Layout>
  );
}
