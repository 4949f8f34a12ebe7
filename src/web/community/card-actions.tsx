// Per-card actions for signed-in readers (placeholder: the collections work fills it in).
import type { PaperCard } from "../../papers/cards.ts";

export function CardActions(_props: { card: PaperCard }) {
  return null;
}
