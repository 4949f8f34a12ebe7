// A small corpus of papers on four distinct topics, with categories, authors and dates, for search
// tests that need to know which papers should match.
import type { ImportRecord } from "../../src/papers/model.ts";

export const TOPICS = [
  {
    title: "Protein folding structure prediction",
    abstract: "Amino acid residues fold into tertiary structures that deep networks predict from sequences.",
    category: "q-bio.BM",
    author: "Rosalind Franklin",
  },
  {
    title: "Galaxy cluster dark matter halos",
    abstract: "Gravitational lensing maps the dark matter in massive galaxy clusters and their halos.",
    category: "astro-ph.CO",
    author: "Vera Rubin",
  },
  {
    title: "Reinforcement learning with reward shaping",
    abstract: "Agents learn policies from shaped rewards in environments where rewards are sparse.",
    category: "cs.LG",
    author: "Richard Sutton",
  },
  {
    title: "Language model alignment with human preferences",
    abstract: "Aligning large language models with human preference feedback improves helpfulness.",
    category: "cs.CL",
    author: "Ada Lovelace",
  },
] as const;

/** `n` papers cycling through the topics; paper i has topic i % 4 and day 2026-07-(1 + i % 28). */
export function topicCorpus(n: number, offset = 0): ImportRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const t = TOPICS[i % TOPICS.length] as (typeof TOPICS)[number];
    const id = `2607.${String(30000 + i).padStart(5, "0")}`;
    return {
      ref: id,
      source: "arxiv-listing",
      paper: {
        arxivId: id,
        title: `${t.title} ${["revisited", "at scale", "in practice", "a survey", "new results"][i % 5]}`,
        abstract: `${t.abstract} Study number ${i}.`,
        authors: [t.author, `Coauthor ${i % 7}`],
        categories: [t.category],
        announcedOn: `2026-07-${String(1 + (i % 28)).padStart(2, "0")}`,
      },
    };
  });
}
