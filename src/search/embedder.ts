// The contract every embedder honours (the built-in corpus-trained model, ONNX models, HTTP
// services), the text a paper is embedded from, and the vector arithmetic shared by the semantic
// half of hybrid search and by "similar papers". Every embedder returns L2-normalised vectors, so
// a dot product is the cosine similarity.

/** Whether a text is a search query or a stored document: some models embed the two differently. */
export type EmbedKind = "query" | "document";

export interface Embedder {
  /**
   * Names the model exactly, so vectors from different models are never mixed: `builtin:<hash>`
   * for a corpus-trained model (the hash of its bytes), `onnx:bge-small-en-v1.5`, `http:<model>`.
   */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dims: number;
  /** One unit-length vector per text, in order. An empty or unknown text yields the zero vector. */
  embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]>;
}

export interface PaperTextInput {
  title: string;
  abstract?: string | null;
}

/**
 * The text a paper is embedded from: its title, then its abstract. A title is the densest summary
 * of a paper, so `titleWeight` (default 2) repeats it: bag-of-words models count it that many
 * times, and a sequence model reads it first. Pass 1 for models that dislike repetition.
 */
export function paperText(paper: PaperTextInput, titleWeight = 2): string {
  const title = paper.title.trim();
  const abstract = paper.abstract?.trim() ?? "";
  const parts: string[] = [];
  for (let i = 0; i < Math.max(1, Math.round(titleWeight)); i++) if (title) parts.push(title);
  if (abstract) parts.push(abstract);
  return parts.join("\n");
}

/** Dot product of two vectors of equal length; for unit vectors, their cosine similarity. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`dot: lengths differ (${a.length} vs ${b.length})`);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length;
  const end = n - (n % 4);
  for (let i = 0; i < end; i += 4) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
    s2 += (a[i + 2] as number) * (b[i + 2] as number);
    s3 += (a[i + 3] as number) * (b[i + 3] as number);
  }
  for (let i = end; i < n; i++) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1 + s2 + s3;
}

/** Euclidean length of a vector. */
export function norm(a: Float32Array): number {
  return Math.sqrt(dot(a, a));
}

/** Cosine similarity of any two vectors (0 when either is the zero vector). */
export function cosine(a: Float32Array, b: Float32Array): number {
  const d = norm(a) * norm(b);
  return d === 0 ? 0 : dot(a, b) / d;
}

/** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
export function normalize(a: Float32Array): Float32Array {
  const n = norm(a);
  if (n > 0) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) / n;
  return a;
}
