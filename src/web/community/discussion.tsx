// The discussion section of a paper page (placeholder until comments land).
import type { PaperDetail } from "../../papers/lists.ts";
import { plural } from "../components.tsx";

export function Discussion({ paper }: { paper: PaperDetail }) {
  return (
    <section id="discussion" aria-labelledby="discussion-title">
      <h2 id="discussion-title">Discussion</h2>
      <p>{paper.numComments > 0 ? `${plural(paper.numComments, "comment")}. ` : "No comments yet. "}</p>
    </section>
  );
}
