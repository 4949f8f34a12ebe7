// Actions on a paper page: save it to a collection or remove it from the reader's collections
// holding it, follow its authors and categories, and claim authorship; plus, for every visitor,
// which authors have been confirmed as members ("claimed by @username").
import type { PaperDetail } from "../../papers/lists.ts";
import { PaperClaims } from "./claims-routes.tsx";
import { PaperCollections } from "./collections.tsx";
import { PaperFollows } from "./following.tsx";

export function PaperActions({ paper }: { paper: PaperDetail }) {
  return (
    <div class="community-actions">
      <PaperCollections paper={paper} />
      <PaperFollows paper={paper} />
      <PaperClaims paper={paper} />
    </div>
  );
}
