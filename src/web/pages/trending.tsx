// Trending: papers by their stored trending score, with a line on how it is computed.
import type { Page, TrendingItem } from "../../papers/lists.ts";
import { CardList, Pager, PaperCardView } from "../components.tsx";
import { type FeedLink, Layout } from "../layout.tsx";

export function TrendingPage({ list, url, feeds }: { list: Page<TrendingItem>; url: URL; feeds: FeedLink[] }) {
  const page = Math.floor(list.offset / list.limit) + 1;
  return (
    <Layout
      title="Trending papers"
      section="trending"
      alternates={feeds}
      description="Papers the community is upvoting now."
    >
      <h1>Trending papers</h1>
      <p class="lede">
        Upvotes, discounted by how long ago each paper was featured. <a href="/about/ranking">How the score works</a>.
      </p>
      {list.total === 0 ? (
        <p>No paper has been featured or upvoted yet.</p>
      ) : (
        <>
          <CardList start={list.offset + 1}>
            {list.items.map((item, i) => (
              <li>
                <PaperCardView card={item.card} rank={list.offset + i + 1} />
              </li>
            ))}
          </CardList>
          <Pager url={url} page={page} pages={Math.ceil(list.total / list.limit)} />
        </>
      )}
    </Layout>
  );
}
