// The upvote control of cards and paper pages (placeholder: shows the count; the votes work
// replaces it with a toggle form).
import type { PaperCard } from "../../papers/cards.ts";

export function VoteButton({ card }: { card: Pick<PaperCard, "id" | "arxivId" | "upvotes"> }) {
  return (
    <div class="votes" title={`${card.upvotes} upvotes`}>
      <span aria-hidden="true">▲</span>
      <span class="count">{card.upvotes.toLocaleString("en")}</span>
      <span class="visually-hidden"> upvotes</span>
    </div>
  );
}
