// Actions on a paper page for signed-in readers (placeholder: collections, follows and
// authorship claims fill it in).
import type { PaperDetail } from "../../papers/lists.ts";

export function PaperActions(_props: { paper: PaperDetail }) {
  return null;
}
