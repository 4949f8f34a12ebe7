// Author and category pages: every paper by one author, or in one arXiv category, newest first.
import type { PaperCard } from "../../papers/cards.ts";
import type { Page } from "../../papers/lists.ts";
import { AuthorClaims } from "../community/claims-routes.tsx";
import { FollowButton } from "../community/following.tsx";
import { CardList, Pager, PaperCardView, plural } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";

function Listing({ list, url }: { list: Page<PaperCard>; url: URL }) {
  return (
    <>
      <CardList start={list.offset + 1}>
        {list.items.map((card) => (
          <li>
            <PaperCardView card={card} />
          </li>
        ))}
      </CardList>
      <Pager url={url} page={Math.floor(list.offset / list.limit) + 1} pages={Math.ceil(list.total / list.limit)} />
    </>
  );
}

export function AuthorPage({
  name,
  variants,
  list,
  url,
}: {
  name: string;
  variants: string[];
  list: Page<PaperCard>;
  url: URL;
}) {
  const others = variants.filter((v) => v !== name);
  return (
    <Layout title={name} description={`Papers by ${name}`}>
      <h1>{name}</h1>
      <p class="lede">
        {plural(list.total, "paper")} in this archive
        {others.length > 0 ? `, also written as ${others.join(", ")}` : ""}.
      </p>
      <AuthorClaims names={[name, ...variants]} />
      <FollowButton kind="author" name={name} />
      <Listing list={list} url={url} />
    </Layout>
  );
}

export function CategoryPage({
  category,
  name,
  list,
  url,
  feeds,
}: {
  category: string;
  name: string | null;
  list: Page<PaperCard>;
  url: URL;
  feeds: FeedLink[];
}) {
  return (
    <Layout title={name ? `${category}: ${name}` : category} alternates={feeds} description={`Papers in ${category}`}>
      <h1>
        {category}
        {name ? <span class="subtitle"> {name}</span> : null}
      </h1>
      <p class="lede">
        {plural(list.total, "paper")}, newest first. <a href={feeds[0]?.href ?? "#"}>Feed</a>
      </p>
      <FollowButton kind="category" name={category} />
      {list.total === 0 ? <p>No papers in this category yet.</p> : <Listing list={list} url={url} />}
    </Layout>
  );
}

/** Names of the arXiv categories most papers here come from. */
export const CATEGORY_NAMES: Record<string, string> = {
  "cs.AI": "Artificial Intelligence",
  "cs.CL": "Computation and Language",
  "cs.CV": "Computer Vision and Pattern Recognition",
  "cs.LG": "Machine Learning",
  "cs.IR": "Information Retrieval",
  "cs.RO": "Robotics",
  "cs.NE": "Neural and Evolutionary Computing",
  "cs.HC": "Human-Computer Interaction",
  "cs.SE": "Software Engineering",
  "cs.CR": "Cryptography and Security",
  "cs.DC": "Distributed, Parallel, and Cluster Computing",
  "cs.MA": "Multiagent Systems",
  "cs.SD": "Sound",
  "cs.GR": "Graphics",
  "cs.CY": "Computers and Society",
  "eess.AS": "Audio and Speech Processing",
  "eess.IV": "Image and Video Processing",
  "eess.SP": "Signal Processing",
  "stat.ML": "Machine Learning (Statistics)",
  "math.OC": "Optimization and Control",
  "q-bio.QM": "Quantitative Methods",
};
