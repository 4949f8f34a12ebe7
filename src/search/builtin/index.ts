// The built-in embedder: the Embedder interface over a model fitted on the instance's own papers
// (see model.ts), so semantic search works offline with nothing downloaded. Its id names the exact
// model by a hash of its bytes: refitting gives a new id, and vectors of different fits never mix.
import { createHash } from "node:crypto";
import type { Embedder, EmbedKind } from "../embedder.ts";
import { BuiltinModel, type FitOptions } from "./model.ts";
import { deserializeModel, serializeModel } from "./serialize.ts";

export type { FitOptions } from "./model.ts";
export { BuiltinModel } from "./model.ts";

export class BuiltinEmbedder implements Embedder {
  readonly id: string;
  readonly dims: number;

  private constructor(
    readonly model: BuiltinModel,
    bytes: Uint8Array,
  ) {
    this.dims = model.dims;
    this.id = `builtin:${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;
  }

  /** Fits a model on document texts (build them with paperText). Deterministic for a given seed. */
  static fit(documents: readonly string[], options: FitOptions = {}): BuiltinEmbedder {
    const model = BuiltinModel.fit(documents, options);
    return new BuiltinEmbedder(model, serializeModel(model));
  }

  /** Restores an embedder from serialize()'s bytes; its id and every vector are as before. */
  static deserialize(bytes: Uint8Array): BuiltinEmbedder {
    return new BuiltinEmbedder(deserializeModel(bytes), bytes);
  }

  /** The model as bytes, for storing in the database. */
  serialize(): Uint8Array {
    return serializeModel(this.model);
  }

  /** Queries and documents are embedded alike by this model. */
  async embed(texts: string[], _kind: EmbedKind): Promise<Float32Array[]> {
    return this.embedSync(texts);
  }

  /** The synchronous form of embed, for batch jobs and benchmarks. */
  embedSync(texts: readonly string[]): Float32Array[] {
    return texts.map((t) => this.model.embed(t));
  }
}
