// What well-known embedding models expect, recognised by name: the text to put before a query or a
// document (bge and e5 were trained with such instructions and score worse without them) and the
// pooling their authors used. Settings override each of these; unknown models get plain text and
// mean pooling.
import type { EmbedKind } from "../embedder.ts";
import type { Pooling } from "./pooling.ts";

export interface ModelPreset {
  queryPrefix: string;
  documentPrefix: string;
  pooling: Pooling;
}

const BGE_EN_QUERY = "Represent this sentence for searching relevant passages: ";

const PRESETS: { match: RegExp; preset: ModelPreset }[] = [
  { match: /bge-m3/, preset: { queryPrefix: "", documentPrefix: "", pooling: "cls" } },
  {
    match: /bge-.*zh/,
    preset: { queryPrefix: "为这个句子生成表示以用于检索相关文章：", documentPrefix: "", pooling: "cls" },
  },
  { match: /bge-/, preset: { queryPrefix: BGE_EN_QUERY, documentPrefix: "", pooling: "cls" } },
  {
    match: /(^|[-_/])(multilingual-)?e5([-_]|$)/,
    preset: { queryPrefix: "query: ", documentPrefix: "passage: ", pooling: "mean" },
  },
  {
    match: /nomic-embed-text/,
    preset: { queryPrefix: "search_query: ", documentPrefix: "search_document: ", pooling: "mean" },
  },
  { match: /snowflake-arctic-embed/, preset: { queryPrefix: BGE_EN_QUERY, documentPrefix: "", pooling: "cls" } },
  { match: /mxbai-embed-large/, preset: { queryPrefix: BGE_EN_QUERY, documentPrefix: "", pooling: "cls" } },
];

const PLAIN: ModelPreset = { queryPrefix: "", documentPrefix: "", pooling: "mean" };

/** The preset for a model name or folder name such as `Xenova/bge-small-en-v1.5`. */
export function modelPreset(name: string): ModelPreset {
  const key = name.toLowerCase();
  return PRESETS.find((p) => p.match.test(key))?.preset ?? PLAIN;
}

/**
 * A prefix setting's meaning: `auto` (or unset) leaves the model's preset, `none` means no prefix,
 * anything else is the prefix itself.
 */
export function prefixFromSetting(setting: string | undefined): string | undefined {
  if (setting === undefined || setting === "" || setting === "auto") return undefined;
  return setting === "none" ? "" : setting;
}

/** The prefixes to use for each kind of text. */
export interface Prefixes {
  query: string;
  document: string;
}

/** Prepends the prefix for `kind` to each text. */
export function withPrefix(texts: string[], kind: EmbedKind, prefixes: Prefixes): string[] {
  const prefix = kind === "query" ? prefixes.query : prefixes.document;
  return prefix ? texts.map((t) => prefix + t) : texts;
}
