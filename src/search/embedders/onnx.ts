// A neural embedder that runs a sentence-embedding model (bge, e5, MiniLM, ...) in-process with
// ONNX Runtime through @huggingface/transformers: from a local model folder, or by model id from
// the Hugging Face Hub (or a mirror) where the network allows, cached under the data folder. The
// library is imported only when this embedder is loaded, so other configurations never pay for it.
import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Embedder, EmbedKind } from "../embedder.ts";
import { type Pooling, poolAndNormalize } from "./pooling.ts";
import { modelPreset, type Prefixes, withPrefix } from "./presets.ts";

type Transformers = typeof import("@huggingface/transformers");
type Tokenizer = Awaited<ReturnType<Transformers["AutoTokenizer"]["from_pretrained"]>>;
type Model = Awaited<ReturnType<Transformers["AutoModel"]["from_pretrained"]>>;
type TensorClass = Transformers["Tensor"];

export interface OnnxEmbedderOptions {
  /** Local folder with config.json, tokenizer.json and onnx/model.onnx (or model.onnx at its top). */
  modelPath?: string;
  /** Hub model id (`Xenova/bge-small-en-v1.5`), downloaded when no modelPath; also names the embedder. */
  model?: string;
  /** How token states become one vector; default: what the model's authors used (see presets.ts). */
  pooling?: Pooling;
  /** Text put before queries and documents; default: the model's preset. */
  prefixes?: Partial<Prefixes>;
  /** Texts per forward pass (default 16). */
  batchSize?: number;
  /** Longest input in tokens; default: the model's own limit (at most 512). */
  maxLength?: number;
  /** Folder that downloaded models are kept in. */
  cacheDir?: string;
  /** Hub (or mirror) to download from; default https://huggingface.co/. */
  hubUrl?: string;
}

/** Where a model folder keeps its weights, most preferred first, and the precision each file holds. */
const MODEL_FILES = [
  { file: "onnx/model.onnx", subfolder: "onnx", dtype: "fp32" },
  { file: "model.onnx", subfolder: "", dtype: "fp32" },
  { file: "onnx/model_quantized.onnx", subfolder: "onnx", dtype: "q8" },
  { file: "model_quantized.onnx", subfolder: "", dtype: "q8" },
] as const;

const OTHER_WEIGHT_FILES = MODEL_FILES.slice(1)
  .map((m) => m.file)
  .join(", ");

const DEFAULT_HUB = "https://huggingface.co/";

let transformers: Promise<Transformers> | undefined;

/** Imports @huggingface/transformers once, on first use, quietening its console warnings. */
function importTransformers(): Promise<Transformers> {
  transformers ??= import("@huggingface/transformers").then((t) => {
    t.env.logLevel = t.LogLevel.ERROR;
    return t;
  });
  return transformers;
}

/** Checks a local model folder and says which weight file to load, or names everything missing. */
export function inspectModelFolder(folder: string): (typeof MODEL_FILES)[number] {
  if (!existsSync(folder)) throw new Error(`model folder ${folder} does not exist`);
  if (!statSync(folder).isDirectory()) throw new Error(`${folder} is a file, not a model folder`);
  const weights = MODEL_FILES.find((m) => existsSync(join(folder, m.file)));
  const missing = ["config.json", "tokenizer.json"].filter((f) => !existsSync(join(folder, f)));
  if (!weights) missing.push(`onnx/model.onnx (or ${OTHER_WEIGHT_FILES})`);
  if (missing.length > 0) throw new Error(`model folder ${folder} lacks ${missing.join(" and ")}`);
  return weights as (typeof MODEL_FILES)[number];
}

export class OnnxEmbedder implements Embedder {
  #dims = 0;

  private constructor(
    readonly id: string,
    readonly pooling: Pooling,
    private readonly prefixes: Prefixes,
    private readonly tokenizer: Tokenizer,
    private readonly model: Model,
    private readonly Tensor: TensorClass,
    private readonly batchSize: number,
    private readonly maxLength: number,
    private readonly frame: Frame,
  ) {}

  /** Loads tokenizer and model (downloading them if named and not yet cached) and learns `dims`. */
  static async load(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const folder = options.modelPath ? resolve(options.modelPath) : undefined;
    const name = options.model || (folder ? basename(folder) : "");
    if (!name) throw new Error("the ONNX embedder needs a model folder or a model id");
    const weights = folder ? inspectModelFolder(folder) : MODEL_FILES[0];
    const source = folder ?? name;

    const t = await importTransformers();
    t.env.allowLocalModels = folder !== undefined;
    t.env.remoteHost = options.hubUrl ? options.hubUrl.replace(/\/*$/, "/") : DEFAULT_HUB;
    const hubOptions = { local_files_only: folder !== undefined, cache_dir: options.cacheDir };
    const where = folder ? `model folder ${folder}` : `model ${name} from ${t.env.remoteHost}`;

    let tokenizer: Tokenizer;
    let model: Model;
    try {
      tokenizer = await t.AutoTokenizer.from_pretrained(source, hubOptions);
    } catch (err) {
      throw new Error(`could not load the tokenizer of ${where}: ${(err as Error).message}`, { cause: err });
    }
    try {
      model = await t.AutoModel.from_pretrained(source, {
        ...hubOptions,
        subfolder: weights.subfolder,
        dtype: weights.dtype,
        device: "cpu",
        session_options: { logSeverityLevel: 3 },
      });
    } catch (err) {
      throw new Error(`could not load ${weights.file} of ${where}: ${(err as Error).message}`, { cause: err });
    }

    const preset = modelPreset(name);
    const prefixes = {
      query: options.prefixes?.query ?? preset.queryPrefix,
      document: options.prefixes?.document ?? preset.documentPrefix,
    };
    const modelLimit = Math.min(
      Number((tokenizer as { model_max_length?: number }).model_max_length) || 512,
      Number((model.config as { max_position_embeddings?: number }).max_position_embeddings) || 512,
      512,
    );
    const embedder = new OnnxEmbedder(
      `onnx:${name.split("/").pop()}`,
      options.pooling ?? preset.pooling,
      prefixes,
      tokenizer,
      model,
      t.Tensor,
      Math.max(1, options.batchSize ?? 16),
      options.maxLength ?? modelLimit,
      specialTokenFrame(tokenizer),
    );
    const [probe] = await embedder.#forward(["dimension probe"]);
    embedder.#dims = (probe as Float32Array).length;
    return embedder;
  }

  get dims(): number {
    return this.#dims;
  }

  async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
    const out: Float32Array[] = texts.map(() => new Float32Array(this.dims)); // blank texts stay zero
    const todo = texts.flatMap((t, i) => (t.trim() === "" ? [] : [i]));
    const prefixed = withPrefix(texts, kind, this.prefixes);
    for (let start = 0; start < todo.length; start += this.batchSize) {
      const slots = todo.slice(start, start + this.batchSize);
      const vectors = await this.#forward(slots.map((i) => prefixed[i] as string));
      slots.forEach((slot, k) => {
        out[slot] = vectors[k] as Float32Array;
      });
    }
    return out;
  }

  /** Tokenises one batch (padded to its longest text), runs the model and pools its token states. */
  async #forward(texts: string[]): Promise<Float32Array[]> {
    const inputs = this.#encode(texts);
    const outputs = (await this.model(inputs)) as Record<string, { data: Float32Array; dims: number[] }>;
    const states = outputs.last_hidden_state ?? outputs.token_embeddings;
    if (!states) {
      throw new Error(
        `${this.id}: the model outputs ${Object.keys(outputs).join(", ")}, not last_hidden_state [batch, seq, dims]`,
      );
    }
    return poolAndNormalize(states, inputs.attention_mask, this.pooling);
  }

  /**
   * Token ids, attention mask and token types for a batch, padded to its longest text. A text longer
   * than maxLength loses tokens from its end but keeps its closing special token ([SEP], </s>): the
   * library's own truncation would cut that off, unlike the Python tokenizers the models were
   * trained with.
   */
  #encode(texts: string[]) {
    const { head, tail } = this.frame;
    const rows = texts.map((text) => {
      const ids = this.tokenizer.encode(text);
      if (ids.length <= this.maxLength) return ids;
      const keep = Math.max(head, this.maxLength - tail);
      return [...ids.slice(0, keep), ...ids.slice(ids.length - tail)];
    });
    const seq = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * seq).fill(BigInt(this.tokenizer.pad_token_id ?? 0));
    const mask = new BigInt64Array(rows.length * seq);
    rows.forEach((row, b) => {
      row.forEach((id, s) => {
        ids[b * seq + s] = BigInt(id);
        mask[b * seq + s] = 1n;
      });
    });
    const dims = [rows.length, seq];
    return {
      input_ids: new this.Tensor("int64", ids, dims),
      attention_mask: new this.Tensor("int64", mask, dims),
      token_type_ids: new this.Tensor("int64", new BigInt64Array(rows.length * seq), dims),
    };
  }
}

/** How many special tokens the tokenizer puts before and after a text ([CLS] text [SEP]: 1 and 1). */
interface Frame {
  head: number;
  tail: number;
}

function specialTokenFrame(tokenizer: Tokenizer): Frame {
  const core = tokenizer.encode("paper", { add_special_tokens: false });
  const full = tokenizer.encode("paper");
  for (let head = 0; head + core.length <= full.length; head++) {
    if (core.every((id, k) => full[head + k] === id)) return { head, tail: full.length - head - core.length };
  }
  return { head: 0, tail: 0 };
}
