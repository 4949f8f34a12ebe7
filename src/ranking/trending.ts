// The trending score: upvotes decayed by age, as a pure function of named constants. The score is
// stored in paper_signals.trending (indexed) by src/papers/signals.ts; /about/ranking explains it
// to readers with these same constants, so the page cannot drift from the code.

/**
 * How fast a paper sinks as it ages: Hacker News' gravity. With the offset below, a paper featured
 * a day ago needs (48/24)^1.8 ≈ 3.5 times the votes of one featured just now to stay level with
 * it, and one a week old about 42 times: the list turns over in a few days, as a daily list should.
 */
export const GRAVITY = 1.8;

/**
 * Hours added to every age. Hacker News adds 2, because stories arrive one by one all day. Papers
 * arrive in one batch a day and are voted on over that day, so a whole day is added instead: in
 * the first hours of a list, order comes from votes, not from minutes of age, and a paper
 * featured a minute ago cannot jump above everything with a single vote.
 */
export const AGE_OFFSET_HOURS = 24;

/**
 * Upvotes a paper gets simply for being featured, so featured papers with no votes yet still
 * order by age rather than tying at zero. Small, so any real vote outweighs it.
 */
export const FEATURED_BONUS = 0.5;

/** Votes at which the numerator stops growing linearly: keeps one viral paper from pinning the list. */
export const VOTE_SOFT_CAP = 1000;

export interface TrendingInput {
  upvotes: number;
  /** When the paper entered the community's view (first featured, else submitted); null: unknown. */
  since: Date | null;
}

/** Hours between `since` and `now`, never negative (clock skew, future-dated imports). */
export function ageHours(since: Date, now: Date): number {
  return Math.max(0, (now.getTime() - since.getTime()) / 3_600_000);
}

/** Effective votes: linear up to VOTE_SOFT_CAP, then logarithmic. */
export function effectiveVotes(upvotes: number): number {
  const v = Math.max(0, upvotes);
  return v <= VOTE_SOFT_CAP ? v : VOTE_SOFT_CAP * (1 + Math.log(v / VOTE_SOFT_CAP));
}

/**
 * (votes + FEATURED_BONUS) / (age in hours + AGE_OFFSET_HOURS) ^ GRAVITY.
 * A paper with no known date has no age to decay from and scores 0.
 */
export function trendingScore({ upvotes, since }: TrendingInput, now: Date): number {
  if (!since || Number.isNaN(since.getTime())) return 0;
  const votes = effectiveVotes(upvotes) + FEATURED_BONUS;
  return votes / (ageHours(since, now) + AGE_OFFSET_HOURS) ** GRAVITY;
}
