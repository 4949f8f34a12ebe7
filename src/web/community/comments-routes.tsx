// Routes for comments on paper pages: post a comment or reply, edit (a page and its form), delete,
// report, and the moderators' hide / unhide. Each POST passes the CSRF check in auth.ts and
// answers 303 back to the comment (`/papers/ID#comment-N`); a request that cannot be done answers
// 400 or 404 with the reason (and the text typed, kept); policy errors become 401/403 in app.tsx.
import type { Context, Hono } from "hono";
import {
  addComment,
  CommentError,
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
      const ref = await addComment(db, viewerOf(c), paper.id, body, parentId);
      return c.redirect(commentPath(ref.arxivId, ref.id), 303);
    } catch (err) {
      if (err instanceof CommentError) {
        return c.html(<CommentProblemPage message={err.message} back={back} retry={retry} />, err.status);
      }
      throw err;
    }
  });

  app.get("/comments/:id/edit", async (c) => {
    const id = idParam(c);
    if (id === null) return noComment(c);
    try {
      const comment = await commentForEdit(db, viewerOf(c), id);
      return c.html(<EditCommentPage id={comment.id} arxivId={comment.arxivId} body={comment.body} />);
    } catch (err) {
      if (err instanceof CommentError) {
        const ref = await commentRef(db, id);
        const back = ref ? commentPath(ref.arxivId, ref.id) : "/";
        return c.html(<CommentProblemPage message={err.message} back={back} />, err.status);
      }
      throw err;
    }
  });

  app.post("/comments/:id/edit", async (c) => {
    const id = idParam(c);
    if (id === null) return noComment(c);
    const body = (await form(c)).body ?? "";
    try {
      const ref = await editComment(db, viewerOf(c), id, body);
      return c.redirect(commentPath(ref.arxivId, ref.id), 303);
    } catch (err) {
      if (err instanceof CommentError) {
        const ref = await commentRef(db, id);
        if (ref && err.status === 400) {
          return c.html(<EditCommentPage id={id} arxivId={ref.arxivId} body={body} error={err.message} />, 400);
        }
        return c.html(<CommentProblemPage message={err.message} back="/" />, err.status);
      }
      throw err;
    }
  });

  app.post("/comments/:id/delete", async (c) => {
    const id = idParam(c);
    if (id === null) return noComment(c);
    try {
      const ref = await deleteComment(db, viewerOf(c), id);
      return c.redirect(commentPath(ref.arxivId, ref.id), 303);
    } catch (err) {
      if (err instanceof CommentError) return c.html(<CommentProblemPage message={err.message} back="/" />, err.status);
      throw err;
    }
  });

  app.post("/comments/:id/report", async (c) => {
    const id = idParam(c);
    if (id === null) return noComment(c);
    const reason = (await form(c)).reason ?? "";
    try {
      const ref = await reportComment(db, viewerOf(c), id, reason);
      return c.redirect(commentPath(ref.arxivId, ref.id), 303);
    } catch (err) {
      if (err instanceof CommentError) {
        const ref = await commentRef(db, id);
        const back = ref ? commentPath(ref.arxivId, ref.id) : "/";
        return c.html(<CommentProblemPage message={err.message} back={back} />, err.status);
      }
      throw err;
    }
  });

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
      const ref = await commentRef(db, id);
      return c.redirect(ref ? commentPath(ref.arxivId, ref.id) : "/", 303);
    });
  }
}
