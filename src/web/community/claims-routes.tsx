// Authorship claims on the web: the claim form and "claimed by @username" on a paper page
// (PaperClaims), the claimed-by line of an author page (AuthorClaims), the claim itself
// (POST /papers/:id/claim), and the admin's queue (GET /admin/claims) with approve / reject
// (POST, admins only, decision and audit entry in one transaction: community/claims.ts).
import type { Context, Hono } from "hono";
import { assertAdmin, assertCanWrite } from "../../accounts/policy.ts";
import {
  approvedClaimsForAuthor,
  approvedClaimsOnPaper,
  type Claim,
  ClaimError,
  claimAuthorship,
  claimOf,
  decideClaim,
  decidedClaims,
  pendingClaims,
} from "../../community/claims.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { PaperDetail } from "../../papers/lists.ts";
import type { AppDeps } from "../app.tsx";
import { currentDeps, viewerOf } from "../auth.ts";
import { authorPath, paperPath, shortDate } from "../components.tsx";
import { Layout } from "../layout.tsx";
import { BadRequestPage, NotFoundPage } from "../pages/errors.tsx";
import { CsrfField } from "../pages/forms.tsx";
import { writingViewer } from "./card-actions.tsx";
import { formFields, postedPaper } from "./collections-routes.tsx";

const STATUS_TEXT = { pending: "waiting for an admin", approved: "approved", rejected: "not approved" } as const;

/** A paper page's claims: who claimed which author (everyone sees it), and the reader's own claim or form. */
export async function PaperClaims({ paper }: { paper: PaperDetail }) {
  const { db } = currentDeps();
  const viewer = writingViewer();
  const [approved, mine] = await Promise.all([
    approvedClaimsOnPaper(db, paper.id),
    viewer ? claimOf(db, viewer.id, paper.id) : Promise.resolve(null),
  ]);
  if (approved.length === 0 && !viewer) return null;
  return (
    <div class="claims">
      {approved.length > 0 ? (
        <ul class="claimed" aria-label="Authors on Paperboy">
          {approved.map((a) => (
            <li>
              <a href={authorPath(a.authorName)}>{a.authorName}</a>: claimed by @{a.username}
            </li>
          ))}
        </ul>
      ) : null}
      {mine ? (
        <p class="muted">
          Your claim to be {mine.authorName} is {STATUS_TEXT[mine.status]}.
        </p>
      ) : viewer && paper.authors.length > 0 ? (
        <details class="claim-form">
          <summary>Are you an author of this paper?</summary>
          <form method="post" action={`${paperPath(paper.arxivId)}/claim`} class="inline">
            <CsrfField />
            <label for="claim-author">I am</label>
            <select id="claim-author" name="author" required>
              {paper.authors.map((name) => (
                <option value={name}>{name}</option>
              ))}
            </select>
            <button type="submit" class="small">
              Claim authorship
            </button>
          </form>
          <p class="muted">An admin checks claims before they show on the paper and the author page.</p>
        </details>
      ) : null}
    </div>
  );
}

/** The members an author page's author has been confirmed as (any of the page's spellings). */
export async function AuthorClaims({ names }: { names: string[] }) {
  const claimed = await approvedClaimsForAuthor(currentDeps().db, names);
  if (claimed.length === 0) return null;
  return (
    <p class="claimed">
      {claimed.map((u, i) => (
        <>
          {i > 0 ? "; " : ""}
          claimed by @{u.username} ({u.displayName})
        </>
      ))}
    </p>
  );
}

function ClaimRow({ claim, actions }: { claim: Claim; actions: boolean }) {
  return (
    <tr>
      <td>
        @{claim.username} <span class="muted">({claim.displayName})</span>
      </td>
      <td>
        <a href={authorPath(claim.authorName)}>{claim.authorName}</a>
      </td>
      <td>
        <a href={paperPath(claim.arxivId)}>{claim.paperTitle}</a> <span class="muted">arXiv:{claim.arxivId}</span>
      </td>
      <td>{shortDate(actions ? claim.createdAt : claim.decidedAt)}</td>
      <td>
        {actions ? (
          <div class="inline claims-admin">
            <form method="post" action={`/admin/claims/${claim.id}/approve`}>
              <CsrfField />
              <button type="submit" class="small">
                Approve
              </button>
            </form>
            <form method="post" action={`/admin/claims/${claim.id}/reject`}>
              <CsrfField />
              <button type="submit" class="small danger">
                Reject
              </button>
            </form>
          </div>
        ) : (
          STATUS_TEXT[claim.status]
        )}
      </td>
    </tr>
  );
}

function ClaimTable({ caption, claims, actions }: { caption: string; claims: Claim[]; actions: boolean }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">As author</th>
          <th scope="col">Paper</th>
          <th scope="col">{actions ? "Claimed" : "Decided"}</th>
          <th scope="col">{actions ? "Decision" : "Outcome"}</th>
        </tr>
      </thead>
      <tbody>
        {claims.map((claim) => (
          <ClaimRow claim={claim} actions={actions} />
        ))}
      </tbody>
    </table>
  );
}

export function ClaimsAdminPage({ pending, decided }: { pending: Claim[]; decided: Claim[] }) {
  return (
    <Layout title="Authorship claims">
      <h1>Authorship claims</h1>
      <p class="lede">
        Members asking to be linked to an author name on a paper. Check that the member is that person before approving:
        an approved claim shows “claimed by @username” on the paper and the author page.
      </p>
      {pending.length === 0 ? (
        <p>No claims are waiting.</p>
      ) : (
        <ClaimTable caption="Waiting for a decision" claims={pending} actions />
      )}
      {decided.length > 0 ? <ClaimTable caption="Recently decided" claims={decided} actions={false} /> : null}
    </Layout>
  );
}

export function registerClaims(app: Hono, deps: AppDeps) {
  const { db } = deps;

  const claim = async (c: Context, arxivId: string) => {
    const viewer = viewerOf(c);
    assertCanWrite(viewer);
    const paperId = await postedPaper(deps, arxivId);
    if (paperId === null) return c.html(<NotFoundPage message="There is no such paper in this archive." />, 404);
    const f = await formFields(c);
    try {
      await claimAuthorship(db, viewer.id, paperId, f.author ?? "");
    } catch (err) {
      if (err instanceof ClaimError) return c.html(<BadRequestPage message={err.message} />, 400);
      throw err;
    }
    return c.redirect(paperPath(parseArxivId(arxivId)?.id ?? arxivId), 303);
  };
  app.post("/papers/:id/claim", (c) => claim(c, c.req.param("id")));
  // Old-style ids hold a slash (hep-th/9901001).
  app.post("/papers/:archive/:number{[0-9]+}/claim", (c) =>
    claim(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );

  app.get("/admin/claims", async (c) => {
    assertAdmin(viewerOf(c));
    c.header("Cache-Control", "private, no-store");
    const [pending, decided] = await Promise.all([pendingClaims(db), decidedClaims(db)]);
    return c.html(<ClaimsAdminPage pending={pending} decided={decided} />);
  });

  for (const [action, decision] of [
    ["approve", "approved"],
    ["reject", "rejected"],
  ] as const) {
    app.post(`/admin/claims/:id{[0-9]+}/${action}`, async (c) => {
      const viewer = viewerOf(c);
      assertAdmin(viewer);
      const decided = await decideClaim(db, viewer, Number(c.req.param("id")), decision);
      if (!decided) return c.html(<NotFoundPage message="There is no pending claim with that number." />, 404);
      return c.redirect("/admin/claims", 303);
    });
  }
}
