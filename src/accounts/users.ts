// Accounts, sessions and API tokens: every read and write of users, login_tokens, sessions and
// api_tokens goes through here. A Viewer is who is making a request, as the policy checks see it.
import type { Db } from "../db/client.ts";
import type { Role } from "../db/schema.ts";
import { hashToken, newToken } from "./tokens.ts";

export interface User {
  id: number;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  suspendedAt: string | null;
  suspendedReason: string | null;
  createdAt: string;
}

export interface Viewer extends User {
  /** How the request proved who it is. */
  via: "session" | "token";
  sessionId: number | null;
  /** The session's CSRF token (forms and fetches must send it back); null for API tokens. */
  csrf: string | null;
}

/** Sign-in links last this long. */
export const LOGIN_TOKEN_TTL_MS = 15 * 60_000;
/** Sessions last this long without use; every use (at most once an hour) extends them. */
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
const SESSION_TOUCH_MS = 3_600_000;

type UserRow = {
  id: number;
  email: string;
  username: string;
  display_name: string;
  role: Role;
  suspended_at: string | null;
  suspended_reason: string | null;
  created_at: string;
};
const USER_COLUMNS = [
  "users.id",
  "users.email",
  "users.username",
  "users.display_name",
  "users.role",
  "users.suspended_at",
  "users.suspended_reason",
  "users.created_at",
] as const;

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    suspendedAt: r.suspended_at,
    suspendedReason: r.suspended_reason,
    createdAt: r.created_at,
  };
}

/** Lower-cased and trimmed; null when it is not a plausible address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z0-9-]{2,}$/.test(email)) return null;
  return email;
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_-]{1,29}$/;

export async function userByEmail(db: Db, email: string): Promise<User | null> {
  const row = await db.kysely.selectFrom("users").select(USER_COLUMNS).where("email", "=", email).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function userById(db: Db, id: number): Promise<User | null> {
  const row = await db.kysely.selectFrom("users").select(USER_COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function userByUsername(db: Db, username: string): Promise<User | null> {
  const row = await db.kysely
    .selectFrom("users")
    .select(USER_COLUMNS)
    .where("username", "=", username.toLowerCase())
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

/** The account for `email`, created on first sign-in with a username made from the address. */
export async function findOrCreateUser(db: Db, email: string, now: Date = new Date()): Promise<User> {
  const existing = await userByEmail(db, email);
  if (existing) return existing;
  const base =
    (email.split("@")[0] ?? "reader")
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "")
      .replace(/^[-_]+/, "")
      .slice(0, 24) || "reader";
  const stem = base.length >= 2 ? base : `${base}reader`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const username = attempt === 0 ? stem : `${stem}${attempt + 1}`;
    const inserted = await db.kysely
      .insertInto("users")
      .values({
        email,
        username,
        display_name: email.split("@")[0] ?? username,
        role: "member",
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .returning(["id", "email", "username", "display_name", "role", "suspended_at", "suspended_reason", "created_at"])
      .executeTakeFirst();
    if (inserted) return toUser(inserted);
    const raced = await userByEmail(db, email);
    if (raced) return raced;
  }
  throw new Error(`could not find a free username for ${email}`);
}

export class ProfileError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export async function updateProfile(
  db: Db,
  userId: number,
  { username, displayName }: { username: string; displayName: string },
  now: Date = new Date(),
): Promise<void> {
  const name = username.trim().toLowerCase();
  const display = displayName.trim();
  if (!USERNAME_PATTERN.test(name)) {
    throw new ProfileError(
      "username",
      "A username is 2 to 30 lower-case letters, digits, - or _, starting with a letter or digit.",
    );
  }
  if (display.length < 1 || display.length > 80 || /[\p{Cc}]/u.test(display)) {
    throw new ProfileError("display_name", "A display name is 1 to 80 characters, without control characters.");
  }
  const taken = await db.kysely
    .selectFrom("users")
    .select("id")
    .where("username", "=", name)
    .where("id", "!=", userId)
    .executeTakeFirst();
  if (taken) throw new ProfileError("username", `The username "${name}" is taken.`);
  await db.kysely
    .updateTable("users")
    .set({ username: name, display_name: display, updated_at: now.toISOString() })
    .where("id", "=", userId)
    .execute();
}

/** Stores a sign-in token for `email`; returns the token for the link (never stored in clear). */
export async function createLoginToken(
  db: Db,
  email: string,
  ip: string | null,
  now: Date = new Date(),
): Promise<string> {
  const token = newToken();
  await db.kysely
    .insertInto("login_tokens")
    .values({
      token_hash: hashToken(token),
      email,
      ip,
      expires_at: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  return token;
}

/**
 * Uses a sign-in token: one UPDATE that succeeds only for an unused, unexpired token, so two
 * clicks racing on the same link cannot both sign in. Returns the email, or null.
 */
export async function consumeLoginToken(db: Db, token: string, now: Date = new Date()): Promise<string | null> {
  const row = await db.kysely
    .updateTable("login_tokens")
    .set({ used_at: now.toISOString() })
    .where("token_hash", "=", hashToken(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .returning("email")
    .executeTakeFirst();
  return row?.email ?? null;
}

/** Says whether a token exists and could still be used (for the confirmation page; changes nothing). */
export async function loginTokenState(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<"valid" | "used" | "expired" | "unknown"> {
  const row = await db.kysely
    .selectFrom("login_tokens")
    .select(["used_at", "expires_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return "unknown";
  if (row.used_at) return "used";
  return row.expires_at > now.toISOString() ? "valid" : "expired";
}

export async function createSession(
  db: Db,
  userId: number,
  userAgent: string | null,
  now: Date = new Date(),
): Promise<{ token: string; csrf: string }> {
  const token = newToken();
  const csrf = newToken();
  await db.kysely
    .insertInto("sessions")
    .values({
      token_hash: hashToken(token),
      csrf_token: csrf,
      user_id: userId,
      user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    })
    .execute();
  return { token, csrf };
}

/** The viewer behind a session cookie, extending the session when it is used. */
export async function viewerFromSession(db: Db, token: string, now: Date = new Date()): Promise<Viewer | null> {
  const row = await db.kysely
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      ...USER_COLUMNS,
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.last_seen_at",
      "sessions.expires_at",
    ])
    .where("sessions.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > SESSION_TOUCH_MS) {
    await db.kysely
      .updateTable("sessions")
      .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString() })
      .where("id", "=", row.session_id)
      .execute();
  }
  return { ...toUser(row), via: "session", sessionId: row.session_id, csrf: row.csrf_token };
}

export async function deleteSession(db: Db, sessionId: number): Promise<void> {
  await db.kysely.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** "Sign out everywhere": every session of the user ends, including stolen cookies. */
export async function deleteAllSessions(db: Db, userId: number): Promise<number> {
  const r = await db.kysely.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Creates an API token; the clear token is returned once and never stored. */
export async function createApiToken(db: Db, userId: number, name: string, now: Date = new Date()): Promise<string> {
  const token = newToken("pb_");
  await db.kysely
    .insertInto("api_tokens")
    .values({ user_id: userId, name: name.slice(0, 80), token_hash: hashToken(token), created_at: now.toISOString() })
    .execute();
  return token;
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenInfo[]> {
  const rows = await db.kysely
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function revokeApiToken(
  db: Db,
  userId: number,
  tokenId: number,
  now: Date = new Date(),
): Promise<boolean> {
  const r = await db.kysely
    .updateTable("api_tokens")
    .set({ revoked_at: now.toISOString() })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function viewerFromApiToken(db: Db, token: string, now: Date = new Date()): Promise<Viewer | null> {
  const row = await db.kysely
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([...USER_COLUMNS, "api_tokens.id as token_id", "api_tokens.last_used_at"])
    .where("api_tokens.token_hash", "=", hashToken(token))
    .where("api_tokens.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > SESSION_TOUCH_MS) {
    await db.kysely
      .updateTable("api_tokens")
      .set({ last_used_at: now.toISOString() })
      .where("id", "=", row.token_id)
      .execute();
  }
  return { ...toUser(row), via: "token", sessionId: null, csrf: null };
}

/** Sets a user's role (`paperboy users promote`). */
export async function setRole(db: Db, userId: number, role: Role, now: Date = new Date()): Promise<void> {
  await db.kysely.updateTable("users").set({ role, updated_at: now.toISOString() }).where("id", "=", userId).execute();
}
