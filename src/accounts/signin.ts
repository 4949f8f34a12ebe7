// Passwordless sign-in: a request mails a single-use link (the same answer whether or not the
// address has an account: the account is made when the link is first used), and using the link
// opens a session. Rate limits keep the form from being used to flood an inbox.
import type { Config } from "../config/config.ts";
import type { Db } from "../db/client.ts";
import { sendLogged } from "../mail/log.ts";
import type { MailTransport } from "../mail/transport.ts";
import { RateLimited } from "./policy.ts";
import { hit, LIMITS } from "./rate-limit.ts";
import {
  consumeLoginToken,
  createLoginToken,
  createSession,
  findOrCreateUser,
  LOGIN_TOKEN_TTL_MS,
  normalizeEmail,
  type User,
} from "./users.ts";

export class InvalidEmail extends Error {}

/** Mails a sign-in link to `rawEmail`, within the per-address and per-IP limits. */
export async function requestSignIn(
  db: Db,
  mail: MailTransport,
  config: Pick<Config, "baseUrl" | "mailFrom">,
  rawEmail: string,
  ip: string | null,
  next: string | null,
  now: Date = new Date(),
): Promise<void> {
  const email = normalizeEmail(rawEmail);
  if (!email) throw new InvalidEmail(`"${rawEmail.slice(0, 100)}" is not an email address.`);
  const perAddress = await hit(db, `signin-email:${email}`, LIMITS.signinPerAddress, now);
  const perIp = ip ? await hit(db, `signin-ip:${ip}`, LIMITS.signinPerIp, now) : { allowed: true, retryAfter: 0 };
  if (!perAddress.allowed || !perIp.allowed) {
    const retryAfter = Math.max(perAddress.allowed ? 0 : perAddress.retryAfter, perIp.allowed ? 0 : perIp.retryAfter);
    throw new RateLimited(
      `Too many sign-in emails requested. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
      retryAfter,
    );
  }
  const token = await createLoginToken(db, email, ip, now);
  const link = new URL("/signin/verify", config.baseUrl);
  link.searchParams.set("token", token);
  if (next) link.searchParams.set("next", next);
  const minutes = LOGIN_TOKEN_TTL_MS / 60_000;
  await sendLogged(
    db,
    mail,
    "sign-in",
    {
      from: config.mailFrom,
      to: email,
      subject: "Your Paperboy sign-in link",
      text: [
        "Use this link to sign in to Paperboy:",
        "",
        link.toString(),
        "",
        `It works once, within ${minutes} minutes. If you did not ask for it, ignore this message.`,
      ].join("\n"),
      html: [
        `<p>Use this link to sign in to Paperboy:</p>`,
        `<p><a href="${link.toString().replace(/&/g, "&amp;")}">Sign in to Paperboy</a></p>`,
        `<p>It works once, within ${minutes} minutes. If you did not ask for it, ignore this message.</p>`,
      ].join("\n"),
      date: now,
    },
    now,
  );
}

/** Uses a sign-in token: the account (created on first use) and a new session, or null. */
export async function completeSignIn(
  db: Db,
  token: string,
  userAgent: string | null,
  now: Date = new Date(),
): Promise<{ user: User; session: { token: string; csrf: string }; created: boolean } | null> {
  const email = await consumeLoginToken(db, token, now);
  if (!email) return null;
  const user = await findOrCreateUser(db, email, now);
  const session = await createSession(db, user.id, userAgent, now);
  return { user, session, created: user.createdAt === now.toISOString() };
}

/** A `next` target that stays on this site (a path), or null. */
export function safeNext(next: string | null | undefined): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next.slice(0, 500);
}
