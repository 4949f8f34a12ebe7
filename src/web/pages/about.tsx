// /about/ranking: the trending formula and each constant with its reason, read from the same
// module the ranking code uses, plus how search ranks results.

import { TRENDING_REFRESH_MS } from "../../jobs/trending.ts";
import { AGE_OFFSET_HOURS, FEATURED_BONUS, GRAVITY, trendingScore, VOTE_SOFT_CAP } from "../../ranking/trending.ts";
import { SEMANTIC_WEIGHT } from "../../search/fusion.ts";
import { FUSION_POOL } from "../../search/service.ts";
import { Layout } from "../layout.tsx";

const EXAMPLE_NOW = new Date("2026-08-14T12:00:00Z");
const hoursAgo = (h: number) => new Date(EXAMPLE_NOW.getTime() - h * 3_600_000);
const EXAMPLES = [
  { votes: 10, hours: 2 },
  { votes: 10, hours: 26 },
  { votes: 40, hours: 26 },
  { votes: 100, hours: 72 },
  { votes: 300, hours: 168 },
];

export function AboutRankingPage() {
  return (
    <Layout title="How ranking works" section="about">
      <article class="prose">
        <h1>How ranking works</h1>
        <h2 id="trending">Trending</h2>
        <p>Every paper that has been featured or upvoted gets a trending score:</p>
        <p class="formula">
          <code>
            score = (votes + {FEATURED_BONUS}) / (hours since featured + {AGE_OFFSET_HOURS})<sup>{GRAVITY}</sup>
          </code>
        </p>
        <p>
          This is the gravity formula Hacker News made familiar: votes raise a paper, age pulls it down, and the pull
          grows with time so the list keeps moving. The score is stored with each paper and indexed, recomputed the
          moment a paper gets a vote, and refreshed for every paper every {TRENDING_REFRESH_MS / 60_000} minutes as they
          age.
        </p>
        <dl class="constants">
          <dt>
            Gravity <code>{GRAVITY}</code>
          </dt>
          <dd>
            How fast a paper sinks as it ages. A paper featured a day ago needs about{" "}
            {(((24 + AGE_OFFSET_HOURS) / AGE_OFFSET_HOURS) ** GRAVITY).toFixed(1)} times the votes of one featured just
            now to stay level with it, and one featured a week ago about{" "}
            {(((168 + AGE_OFFSET_HOURS) / AGE_OFFSET_HOURS) ** GRAVITY).toFixed(0)} times: the list turns over in a few
            days.
          </dd>
          <dt>
            Age offset <code>{AGE_OFFSET_HOURS} hours</code>
          </dt>
          <dd>
            Added to every age. Papers arrive in one batch a day and are voted on over that day, so in the first hours
            of a list order comes from votes rather than from minutes of age, and a paper featured a minute ago cannot
            jump above everything with a single vote.
          </dd>
          <dt>
            Featured bonus <code>{FEATURED_BONUS} vote</code>
          </dt>
          <dd>
            A featured paper with no votes yet still orders by age instead of tying at zero; any real vote outweighs it.
          </dd>
          <dt>
            Vote soft cap <code>{VOTE_SOFT_CAP} votes</code>
          </dt>
          <dd>
            Beyond this many votes, more votes count logarithmically, so one viral paper cannot pin the list for weeks.
          </dd>
        </dl>
        <h3>Examples</h3>
        <table>
          <caption>Scores for a few papers, computed by the same code the list uses</caption>
          <thead>
            <tr>
              <th scope="col">Votes</th>
              <th scope="col">Featured</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {EXAMPLES.map((e) => (
              <tr>
                <td>{e.votes}</td>
                <td>{e.hours} hours ago</td>
                <td>{trendingScore({ upvotes: e.votes, since: hoursAgo(e.hours) }, EXAMPLE_NOW).toFixed(5)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 id="daily">Daily Papers</h2>
        <p>
          A day's list is ordered by upvotes, most first (ties: the most recently featured first). You can also sort a
          day, week or month by trending score or by publication date.
        </p>
        <h2 id="search">Search</h2>
        <p>
          Search is hybrid by default. A keyword search (BM25, with matches in the title counting four times and in
          author names twice as much as in the abstract) and a semantic search (nearest neighbours of the query's
          embedding) each return their top {FUSION_POOL} papers; each list's scores are divided by its best score and
          the two are added with the semantic list weighted {SEMANTIC_WEIGHT} against the keyword list's{" "}
          {1 - SEMANTIC_WEIGHT}, so a paper found by both rises. The search page lets you choose keyword-only or
          semantic-only instead. Filters (category, dates, author) apply in every mode.
        </p>
      </article>
    </Layout>
  );
}
