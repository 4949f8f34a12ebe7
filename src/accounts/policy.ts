// Who may do what: pure checks on the Viewer, called by every command before it changes anything.
// The errors carry the message the person sees.
import type { Viewer } from "./users.ts";

/** No one is signed in, and the action needs someone. */
export class Unauthenticated extends Error {
  constructor(message = "Sign in to do that.") {
    super(message);
    this.name = "Unauthenticated";
  }
}

/** Signed in, but not allowed. */
export class Forbidden extends Error {
  constructor(message = "You are not allowed to do that.") {
    super(message);
    this.name = "Forbidden";
  }
}

/** Too many attempts; try again after `retryAfter` seconds. */
export class RateLimited extends Error {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
    this.name = "RateLimited";
  }
}

/** Anyone signed in and not suspended may write (vote, comment, submit, collect). */
export function assertCanWrite(viewer: Viewer | null): asserts viewer is Viewer {
  if (!viewer) throw new Unauthenticated();
  if (viewer.suspendedAt) {
    throw new Forbidden(
      `Your account is suspended${viewer.suspendedReason ? `: ${viewer.suspendedReason}` : ""}. You can read but not write.`,
    );
  }
}

export function isModerator(viewer: Viewer | null): boolean {
  return !!viewer && !viewer.suspendedAt && (viewer.role === "moderator" || viewer.role === "admin");
}

export function isAdmin(viewer: Viewer | null): boolean {
  return !!viewer && !viewer.suspendedAt && viewer.role === "admin";
}

export function assertModerator(viewer: Viewer | null): asserts viewer is Viewer {
  assertCanWrite(viewer);
  if (!isModerator(viewer)) throw new Forbidden("Only moderators can do that.");
}

export function assertAdmin(viewer: Viewer | null): asserts viewer is Viewer {
  assertCanWrite(viewer);
  if (!isAdmin(viewer)) throw new Forbidden("Only admins can do that.");
}

/** Only the author of something may edit or delete it. */
export function assertOwner(viewer: Viewer | null, ownerId: number, what = "this"): asserts viewer is Viewer {
  assertCanWrite(viewer);
  if (viewer.id !== ownerId) throw new Forbidden(`You can only change your own ${what}.`);
}
