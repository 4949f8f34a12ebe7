// Builds the embedder the configuration asks for (EMBEDDER and the EMBEDDINGS_* settings). The
// built-in one comes from a loader the caller passes in; the ONNX embedder's module, and with it
// ONNX Runtime, is imported only when EMBEDDER=onnx.
import { join, resolve } from "node:path";
import type { Config } from "../../config/config.ts";
import type { Embedder } from "../embedder.ts";
import { OpenAIEmbedder } from "./openai.ts";
import { prefixFromSetting } from "./presets.ts";

/** The settings the factory reads. */
export type EmbedderConfig = Pick<
  Config,
  | "embedder"
  | "embeddingsModelPath"
  | "embeddingsModel"
  | "embeddingsUrl"
  | "embeddingsApiKey"
  | "embeddingsPooling"
  | "embeddingsQueryPrefix"
  | "embeddingsDocumentPrefix"
  | "embeddingsBatchSize"
  | "dataDir"
>;

/** Produces the built-in, corpus-trained embedder. */
export type BuiltinLoader = () => Embedder | Promise<Embedder>;

/**
 * The configured embedder, ready to use (`dims` known). A failure to load or reach it throws an
 * error naming the settings involved.
 */
export async function createConfiguredEmbedder(
  config: EmbedderConfig,
  builtinLoader: BuiltinLoader,
  cwd = process.cwd(),
): Promise<Embedder> {
  const prefixes = {
    query: prefixFromSetting(config.embeddingsQueryPrefix),
    document: prefixFromSetting(config.embeddingsDocumentPrefix),
  };
  const batchSize = config.embeddingsBatchSize;
  switch (config.embedder) {
    case "builtin":
      return await builtinLoader();
    case "onnx": {
      const modelPath = config.embeddingsModelPath ? resolve(cwd, config.embeddingsModelPath) : undefined;
      const what = modelPath ? `EMBEDDINGS_MODEL_PATH=${modelPath}` : `EMBEDDINGS_MODEL=${config.embeddingsModel}`;
      try {
        const { OnnxEmbedder } = await import("./onnx.ts");
        return await OnnxEmbedder.load({
          modelPath,
          model: config.embeddingsModel || undefined,
          pooling: config.embeddingsPooling === "auto" ? undefined : config.embeddingsPooling,
          prefixes,
          batchSize,
          cacheDir: resolve(cwd, join(config.dataDir, "models")),
        });
      } catch (err) {
        throw new Error(`EMBEDDER=onnx could not load ${what}: ${(err as Error).message}`, { cause: err });
      }
    }
    case "http":
      try {
        return await OpenAIEmbedder.connect({
          baseUrl: config.embeddingsUrl,
          model: config.embeddingsModel,
          apiKey: config.embeddingsApiKey || undefined,
          prefixes,
          batchSize,
        });
      } catch (err) {
        throw new Error(
          `EMBEDDER=http could not use model ${config.embeddingsModel} at EMBEDDINGS_URL=${config.embeddingsUrl}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    default:
      throw new Error(`EMBEDDER must be builtin, onnx or http (got ${JSON.stringify(config.embedder)})`);
  }
}
