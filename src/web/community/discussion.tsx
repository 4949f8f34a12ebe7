// The discussion of a paper page and the pages around it: comments with their authors, times and
// rendered Markdown, replies one level deep, and the reply / edit / delete / report (and, for
// moderators, hide / unhide) controls as plain POST forms that work without scripts; the comment
// edit page; and the page that says why a comment could not be posted, with the text kept.
import { raw } from "hono/html";
import { type CommentView, listComments, MAX_COMMENT_LENGTH } from "../../community/comments.ts";
import { renderCommentMarkdown } from "../../community/markdown.ts";
import type { PaperDetail } from "../../papers/lists.ts";
import { currentDeps, currentViewer } from "../auth.ts";
import { paperPath, plural, shortDate } from "../components.tsx";
import { Layout } from "../layout.tsx";
import { CsrfField } from "../pages/forms.tsx";

/** `/papers/ID#comment-N`: where a comment is shown. */
export const commentPath = (arxivId: string, id: number) => `${paperPath(arxivId)}#comment-${id}`;

/** "14 Aug 2026, 08:15 UTC". */
function when(iso: string): string {
  return `${shortDate(iso)}, ${iso.slice(11, 16)} UTC`;
}

const MARKDOWN_HINT = "Markdown works: **bold**, _italic_, `code`, [links](https://…). LaTeX is shown as written.";

function BodyField({ id, value, label }: { id: string; value?: string; label: string }) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name="body" rows={5} required maxlength={MAX_COMMENT_LENGTH}>
        {value ?? ""}
      </textarea>
      <small class="muted">{MARKDOWN_HINT}</small>
    </>
  );
}

function CommentControls({ comment, arxivId }: { comment: CommentView; arxivId: string }) {
  const viewer = currentViewer();
  if (!viewer) return null;
  const canWrite = !viewer.suspendedAt;
  const moderator = canWrite && (viewer.role === "moderator" || viewer.role === "admin");
  const live = comment.state === "visible";
  return (
    <div class="comment-actions">
      {canWrite && live ? (
        <details>
          <summary>Reply</summary>
          <form method="post" action={`${paperPath(arxivId)}/comments`} class="stack">
            <CsrfField />
            <input type="hidden" name="parent_id" value={String(comment.id)} />
            <BodyField id={`reply-${comment.id}`} label="Your reply" />
            <button type="submit">Post reply</button>
          </form>
        </details>
      ) : null}
      {canWrite && live && comment.mine ? <a href={`/comments/${comment.id}/edit`}>Edit</a> : null}
      {canWrite && comment.mine && comment.state !== "deleted" ? (
        <form method="post" action={`/comments/${comment.id}/delete`}>
          <CsrfField />
          <button type="submit" class="link">
            Delete
          </button>
        </form>
      ) : null}
      {canWrite && live && !comment.mine ? (
        comment.reported ? (
          <span class="muted">Reported</span>
        ) : (
          <details>
            <summary>Report</summary>
            <form method="post" action={`/comments/${comment.id}/report`} class="stack">
              <CsrfField />
              <label for={`report-${comment.id}`}>What is wrong with it?</label>
              <input id={`report-${comment.id}`} name="reason" required maxlength={1000} />
              <button type="submit">Report to moderators</button>
            </form>
          </details>
        )
      ) : null}
      {moderator && comment.state !== "deleted" ? (
        <form method="post" action={`/comments/${comment.id}/${comment.state === "hidden" ? "unhide" : "hide"}`}>
          <CsrfField />
          <button type="submit" class="link">
            {comment.state === "hidden" ? "Unhide" : "Hide"}
          </button>
        </form>
      ) : null}
    </div>
  );
}

function Comment({ comment, arxivId }: { comment: CommentView; arxivId: string }) {
  return (
    <article class={`comment comment-${comment.state}`} id={`comment-${comment.id}`}>
      <header class="comment-meta">
        {comment.author ? (
          <>
            <strong class="comment-author">{comment.author.displayName}</strong>{" "}
            <span class="muted">@{comment.author.username}</span>
          </>
        ) : (
          <span class="muted">—</span>
        )}{" "}
        ·{" "}
        <a href={`#comment-${comment.id}`}>
          <time datetime={comment.createdAt}>{when(comment.createdAt)}</time>
        </a>
        {comment.editedAt && comment.state !== "deleted" ? (
          <span class="muted" title={`edited ${when(comment.editedAt)}`}>
            {" "}
            · edited
          </span>
        ) : null}
        {comment.state === "hidden" && comment.body !== null ? (
          <strong class="comment-flag"> · Hidden by a moderator</strong>
        ) : null}
      </header>
      <div class="comment-body">
        {comment.state === "deleted" ? (
          <p class="muted">[deleted]</p>
        ) : comment.body === null ? (
          <p class="muted">[hidden by a moderator]</p>
        ) : (
          raw(renderCommentMarkdown(comment.body))
        )}
      </div>
      <CommentControls comment={comment} arxivId={arxivId} />
      {comment.replies.length > 0 ? (
        <div class="replies">
          {comment.replies.map((r) => (
            <Comment comment={r} arxivId={arxivId} />
          ))}
        </div>
      ) : null}
    </article>
  );
}

function NewComment({ paper }: { paper: PaperDetail }) {
  const viewer = currentViewer();
  if (!viewer) {
    const next = encodeURIComponent(`${paperPath(paper.arxivId)}#discussion`);
    return (
      <p>
        <a href={`/signin?next=${next}`}>Sign in to comment</a>.
      </p>
    );
  }
  if (viewer.suspendedAt) {
    return <p class="muted">Your account is suspended; you can read the discussion but not comment.</p>;
  }
  return (
    <form method="post" action={`${paperPath(paper.arxivId)}/comments`} class="stack new-comment">
      <CsrfField />
      <BodyField id="new-comment" label="Add a comment" />
      <button type="submit">Post comment</button>
    </form>
  );
}

/** The Discussion section of a paper page; loads its comments for the viewer of the request. */
export async function Discussion({ paper }: { paper: PaperDetail }) {
  const threads = await listComments(currentDeps().db, paper.id, currentViewer());
  const local = threads.reduce(
    (n, t) => n + (t.state === "visible" ? 1 : 0) + t.replies.filter((r) => r.state === "visible").length,
    0,
  );
  const elsewhere = Math.max(0, paper.numComments - local);
  return (
    <section id="discussion" aria-labelledby="discussion-title" class="discussion">
      <h2 id="discussion-title">Discussion</h2>
      <p class="muted">
        {local > 0 ? `${plural(local, "comment")} here.` : "No comments here yet."}
        {elsewhere > 0 ? ` ${plural(elsewhere, "more comment")} on Daily Papers elsewhere.` : ""}
      </p>
      {threads.map((t) => (
        <Comment comment={t} arxivId={paper.arxivId} />
      ))}
      <NewComment paper={paper} />
    </section>
  );
}

/** GET /comments/:id/edit: the author's form for changing a comment. */
export function EditCommentPage({
  id,
  arxivId,
  body,
  error,
}: {
  id: number;
  arxivId: string;
  body: string;
  error?: string;
}) {
  return (
    <Layout title="Edit your comment">
      <h1>Edit your comment</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <form method="post" action={`/comments/${id}/edit`} class="stack">
        <CsrfField />
        <BodyField id="edit-comment" value={body} label="Comment" />
        <button type="submit">Save</button>
      </form>
      <p>
        <a href={commentPath(arxivId, id)}>Cancel</a>
      </p>
    </Layout>
  );
}

/** Why a comment (or a reply, or a report) could not be posted; the text typed is kept in a form. */
export function CommentProblemPage({
  message,
  back,
  retry,
}: {
  message: string;
  back: string;
  retry?: { action: string; body: string; parentId?: string };
}) {
  return (
    <Layout title="Comment not posted">
      <h1>That did not work</h1>
      <p class="error" role="alert">
        {message}
      </p>
      {retry ? (
        <form method="post" action={retry.action} class="stack">
          <CsrfField />
          {retry.parentId ? <input type="hidden" name="parent_id" value={retry.parentId} /> : null}
          <BodyField id="retry-comment" value={retry.body} label="Your text" />
          <button type="submit">Try again</button>
        </form>
      ) : null}
      <p>
        <a href={back}>Back to the paper</a>
      </p>
    </Layout>
  );
}
