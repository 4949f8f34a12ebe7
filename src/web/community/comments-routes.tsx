// Routes for comments on paper pages: post a comment or reply, edit (a page and its form), delete,
// report, and the moderators' hide / unhide. Each POST passes the CSRF check in auth.ts and
// answers 303 back to the comment (`/papers/ID#comment-N`); a request that cannot be done answers
// 400 or 404 with the reason (and the text typed, kept); policy errors become 401/403 in app.tsx.
import type { Context, Hono } from "hono";
import {
  addComment,
  CommentError,
  type CommentRef,
  commentForEdit,
  commentRef,
  deleteComment,
  editComment,
  paperByArxivId,
  reportComment,
} from "../../community/comments.ts";
import { hideComment, ModerationError, unhideComment } from "../../community/moderation.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AppDeps } from "../app.tsx";
import { viewerOf } from "../auth.ts";
import { paperPath } from "../components.tsx";
import { NotFoundPage } from "../pages/errors.tsx";
import { CommentProblemPage, commentPath, EditCommentPage } from "./discussion.tsx";

async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** The comment id of the path, or null when it is not one. */
function idParam(c: Context): number | null {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const noComment = (c: Context) => c.html(<NotFoundPage message="There is no such comment." />, 404);
const toComment = (c: Context, ref: CommentRef) => c.redirect(commentPath(ref.arxivId, ref.id), 303);
const refused = (c: Context, err: CommentError, back: string) =>
  c.html(<CommentProblemPage message={err.message} back={back} />, err.status);

export function registerCommentRoutes(app: Hono, deps: AppDeps) {
  const { db } = deps;

  app.post("/papers/:id/comments", async (c) => {
    const parsed = parseArxivId(c.req.param("id"));
    const paper = parsed ? await paperByArxivId(db, parsed.id) : null;
    if (!paper) return c.html(<NotFoundPage message="This archive does not hold that paper." />, 404);
    const f = await form(c);
    const body = f.body ?? "";
    const parentText = (f.parent_id ?? "").trim();
    const back = `${paperPath(paper.arxivId)}#discussion`;
    const retry = { action: `${paperPath(paper.arxivId)}/comments`, body, parentId: parentText || undefined };
    const parentId = parentText ? Number(parentText) : null;
    if (parentId !== null && !(Number.isSafeInteger(parentId) && parentId > 0)) {
      return c.html(<CommentProblemPage message="The comment you replied to is not valid." back={back} />, 400);
    }
    try {
      return toComment(c, await addComment(db, viewerOf(c), paper.id, body, parentId));
    } catch (err) {
      if (err instanceof CommentError) {
        return c.html(<CommentProblemPage message={err.message} back={back} retry={retry} />, err.status);
      }
      throw err;
    }
  });

  /** Where a refusal or a moderator's action leads: the comment, or the front page when it is gone. */
  const commentOrHome = async (id: number) => {
    const ref = await commentRef(db, id);
    return ref ? commentPath(ref.arxivId, ref.id) : "/";
  };
  /**
   * An action on the comment the path names (404 when it names none). comments.ts loads the comment
   * and checks the viewer may, throwing CommentError when not; `onRefusal` answers that, by default
   * with the reason and a link back to the comment.
   */
  async function onComment(
    c: Context,
    act: (id: number) => Promise<Response>,
    onRefusal = async (err: CommentError, id: number): Promise<Response> => refused(c, err, await commentOrHome(id)),
  ): Promise<Response> {
    const id = idParam(c);
    if (id === null) return noComment(c);
    try {
      return await act(id);
    } catch (err) {
      if (err instanceof CommentError) return onRefusal(err, id);
      throw err;
    }
  }

  app.get("/comments/:id/edit", (c) =>
    onComment(c, async (id) => {
      const comment = await commentForEdit(db, viewerOf(c), id);
      return c.html(<EditCommentPage id={comment.id} arxivId={comment.arxivId} body={comment.body} />);
    }),
  );

  app.post("/comments/:id/edit", (c) =>
    onComment(
      c,
      async (id) => toComment(c, await editComment(db, viewerOf(c), id, (await form(c)).body ?? "")),
      async (err, id) => {
        const ref = await commentRef(db, id);
        if (ref && err.status === 400) {
          // The form again, with the text as typed (Hono keeps the parsed body).
          const body = (await form(c)).body ?? "";
          return c.html(<EditCommentPage id={id} arxivId={ref.arxivId} body={body} error={err.message} />, 400);
        }
        return refused(c, err, "/");
      },
    ),
  );

  app.post("/comments/:id/delete", (c) =>
    onComment(
      c,
      async (id) => toComment(c, await deleteComment(db, viewerOf(c), id)),
      async (err) => refused(c, err, "/"),
    ),
  );

  app.post("/comments/:id/report", (c) =>
    onComment(c, async (id) => toComment(c, await reportComment(db, viewerOf(c), id, (await form(c)).reason ?? ""))),
  );

  // Moderators act from the page itself; the admin pages offer the same for reported comments.
  for (const action of ["hide", "unhide"] as const) {
    app.post(`/comments/:id/${action}`, async (c) => {
      const id = idParam(c);
      if (id === null) return noComment(c);
      const viewer = viewerOf(c);
      try {
        if (action === "hide") await hideComment(db, viewer, id, (await form(c)).reason);
        else await unhideComment(db, viewer, id);
      } catch (err) {
        if (err instanceof ModerationError) {
          return c.html(<CommentProblemPage message={err.message} back="/" />, err.status);
        }
        throw err;
      }
      return c.redirect(await commentOrHome(id), 303);
    });
  }
}
