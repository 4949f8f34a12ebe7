// The moderators' pages: the start page with links, open reports (hide or dismiss), users (search,
// suspend / unsuspend with a reason, and roles for admins), local submissions (remove), and the
// audit log, newest first. Views only; admin-routes.tsx loads the data and checks the role.
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Viewer } from "../../accounts/users.ts";
import type { OpenReport } from "../../community/comments.ts";
import { renderCommentMarkdown } from "../../community/markdown.ts";
import type { AuditListing, UserListing } from "../../community/moderation.ts";
import { ROLES } from "../../community/moderation.ts";
import { AdminFrame, AdminTable } from "../admin-ui.tsx";
import { PagerNav, paperPath, shortDate } from "../components.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { commentPath } from "./discussion.tsx";

const when = (iso: string) => `${shortDate(iso)}, ${iso.slice(11, 16)} UTC`;

const LINKS: [string, string][] = [
  ["/admin", "Moderation"],
  ["/admin/reports", "Reports"],
  ["/admin/users", "Users"],
  ["/admin/submissions", "Submissions"],
  ["/admin/claims", "Claims"],
  ["/admin/digests", "Digests"],
  ["/admin/audit", "Audit log"],
];

function AdminLayout({ title, children }: { title: string; children?: Child }) {
  return (
    <AdminFrame title={title} section="Moderation" links={LINKS}>
      {children}
    </AdminFrame>
  );
}

export function AdminHomePage({ openReports, viewer }: { openReports: number; viewer: Viewer }) {
  return (
    <AdminLayout title="Moderation">
      <p>
        Signed in as {viewer.displayName} ({viewer.role}).
      </p>
      <ul>
        <li>
          <a href="/admin/reports">Reported comments</a>: {openReports} waiting
        </li>
        <li>
          <a href="/admin/users">Users</a>: find accounts, suspend or unsuspend them
          {viewer.role === "admin" ? ", set roles" : ""}
        </li>
        <li>
          <a href="/admin/submissions">Submissions</a>: the latest papers submitted here
        </li>
        {viewer.role === "admin" ? (
          <>
            <li>
              <a href="/admin/claims">Authorship claims</a>: approve or reject readers who say they wrote a paper
            </li>
            <li>
              <a href="/admin/digests">Digests</a>: deliveries, pauses, the suppression list, previews and the outbox
            </li>
            <li>
              <a href="/admin/submission-rules">Submission rules</a>: how old a submitted paper may be, how many a day
            </li>
          </>
        ) : null}
        <li>
          <a href="/admin/audit">Audit log</a>: what moderators and admins did
        </li>
      </ul>
    </AdminLayout>
  );
}

export function ReportsPage({ reports }: { reports: OpenReport[] }) {
  return (
    <AdminLayout title="Reported comments">
      {reports.length === 0 ? <p>No open reports.</p> : null}
      {reports.map((r) => (
        <article class="report" id={`report-${r.commentId}`}>
          <p class="comment-meta">
            <a href={commentPath(r.arxivId, r.commentId)}>Comment {r.commentId}</a> by @{r.author} on{" "}
            <a href={paperPath(r.arxivId)}>arXiv:{r.arxivId}</a>, {when(r.createdAt)}
            {r.state !== "visible" ? <strong> · {r.state}</strong> : null}
          </p>
          <div class="comment-body">
            {r.state === "deleted" ? <p class="muted">[deleted by its author]</p> : raw(renderCommentMarkdown(r.body))}
          </div>
          <ul>
            {r.reports.map((x) => (
              <li>
                @{x.reporter}, {when(x.createdAt)}: {x.reason}
              </li>
            ))}
          </ul>
          <div class="inline">
            {r.state === "visible" ? (
              <form method="post" action={`/admin/reports/${r.commentId}/hide`}>
                <CsrfField />
                <button type="submit">Hide comment</button>
              </form>
            ) : null}
            <form method="post" action={`/admin/reports/${r.commentId}/dismiss`}>
              <CsrfField />
              <button type="submit">Dismiss reports</button>
            </form>
          </div>
        </article>
      ))}
    </AdminLayout>
  );
}

export function UsersPage({ users, q, viewer }: { users: UserListing[]; q: string; viewer: Viewer }) {
  return (
    <AdminLayout title="Users">
      <form method="get" action="/admin/users" class="inline">
        <label for="user-q">Email or username</label>
        <input id="user-q" type="search" name="q" value={q} />
        <button type="submit">Find</button>
      </form>
      {users.length === 0 ? <p>No users match.</p> : null}
      <AdminTable class="admin-users" columns={["User", "Role", "Since", "Status"]}>
        {users.map((u) => (
          <tr id={`user-${u.id}`}>
            <td>
              {u.displayName} <span class="muted">@{u.username}</span>
              <br />
              {u.email}
            </td>
            <td>
              {viewer.role === "admin" && u.id !== viewer.id ? (
                <form method="post" action={`/admin/users/${u.id}/role`} class="inline">
                  <CsrfField />
                  <select name="role" aria-label={`Role of ${u.username}`}>
                    {ROLES.map((r) => (
                      <option value={r} selected={r === u.role}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Set</button>
                </form>
              ) : (
                u.role
              )}
            </td>
            <td>{shortDate(u.createdAt)}</td>
            <td>
              {u.suspendedAt ? (
                <form method="post" action={`/admin/users/${u.id}/unsuspend`} class="inline">
                  <CsrfField />
                  <span>
                    Suspended {shortDate(u.suspendedAt)}: {u.suspendedReason ?? ""}
                  </span>
                  <button type="submit">Unsuspend</button>
                </form>
              ) : u.id === viewer.id ? (
                "active (you)"
              ) : (
                <form method="post" action={`/admin/users/${u.id}/suspend`} class="inline">
                  <CsrfField />
                  <input
                    name="reason"
                    required
                    maxlength={500}
                    aria-label={`Reason to suspend ${u.username}`}
                    placeholder="Reason"
                  />
                  <button type="submit">Suspend</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </AdminLayout>
  );
}

export function SubmissionsPage({
  submissions,
}: {
  submissions: { id: number; day: string; createdAt: string; arxivId: string; title: string; submitter: string }[];
}) {
  return (
    <AdminLayout title="Submissions">
      {submissions.length === 0 ? <p>No papers have been submitted here yet.</p> : null}
      <ul class="admin-list">
        {submissions.map((s) => (
          <li>
            <a href={paperPath(s.arxivId)}>{s.title}</a> for {s.day}, by @{s.submitter}, {when(s.createdAt)}
            <form method="post" action={`/admin/submissions/${s.id}/remove`} class="inline">
              <CsrfField />
              <input name="reason" maxlength={500} aria-label="Reason" placeholder="Reason (optional)" />
              <button type="submit">Remove</button>
            </form>
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

export function AuditPage({ items, page, more }: { items: AuditListing[]; page: number; more: boolean }) {
  return (
    <AdminLayout title="Audit log">
      {items.length === 0 ? <p>Nothing recorded{page > 1 ? " on this page" : " yet"}.</p> : null}
      <AdminTable class="audit" columns={["When", "Who", "What", "Target", "Details"]}>
        {items.map((e) => (
          <tr>
            <td>
              <time datetime={e.createdAt}>{when(e.createdAt)}</time>
            </td>
            <td>{e.actor ? `@${e.actor}` : "command line"}</td>
            <td>{e.action}</td>
            <td>
              {e.targetType} {e.targetId}
            </td>
            <td>
              <code>{JSON.stringify(e.details)}</code>
            </td>
          </tr>
        ))}
      </AdminTable>
      <PagerNav
        label="Audit log pages"
        prev={
          page > 1 ? { href: page === 2 ? "/admin/audit" : `/admin/audit?page=${page - 1}`, text: "← Newer" } : null
        }
        next={more ? { href: `/admin/audit?page=${page + 1}`, text: "Older →" } : null}
      >
        Page {page}
      </PagerNav>
    </AdminLayout>
  );
}

export function AdminProblemPage({ message, back }: { message: string; back: string }) {
  return (
    <AdminLayout title="That did not work">
      <p class="error" role="alert">
        {message}
      </p>
      <p>
        <a href={back}>Back</a>
      </p>
    </AdminLayout>
  );
}
