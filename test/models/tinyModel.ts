// Tiny valid GGUF models with random weights and a byte-level tokenizer. The text they generate is
// meaningless, but loading, tokenizing, evaluating, grammar-constrained sampling and state
// save/restore all run for real in llama.cpp on them.
import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { seededRandom } from "../support/seededRandom";
import { buildArchitecture, hasAttention, type TinyArchitecture } from "./architectures";
import { buildByteVocabulary, tokenizerMetadata } from "./byteTokenizer";
import { writeGguf, type GgufValue } from "./ggufWriter";

export { ALL_ARCHITECTURES, hasAttention, HYBRID_ARCHITECTURES, TINY_ARCHITECTURES, type HybridArchitecture, type TinyArchitecture } from "./architectures";

export interface TinyModelOptions {
  arch: TinyArchitecture;
  seed: number;
  path: string;
  /** Embedding width; a multiple of 64 (RWKV-7 head size; llama.cpp's CPU RWKV-7 kernel carries state wrongly across batches with other head sizes). Default 128. */
  dModel?: number;
  /** Default 2. */
  layers?: number;
  /** Trained context length written to the GGUF. Default: 2^30 for recurrent models, 131072 for models with attention (llama, hybrids). */
  contextLength?: number;
  /** Written as tokenizer.chat_template when given. */
  chatTemplate?: string;
  /** Control tokens added to the byte vocabulary: the family's real special tokens. */
  specialTokens?: readonly string[];
}

export async function writeTinyModel(options: TinyModelOptions): Promise<void> {
  const dModel = options.dModel ?? 128;
  const layers = options.layers ?? 2;
  if (dModel % 64 !== 0 || dModel < 64) throw new Error(`dModel must be a positive multiple of 64, got ${dModel}`);
  if (!Number.isInteger(layers) || layers < 1) throw new Error(`layers must be a positive integer, got ${layers}`);
  const vocabulary = buildByteVocabulary(options.specialTokens);
  const shape = { dModel, layers, vocabSize: vocabulary.tokens.length };
  const { metadata, tensors } = buildArchitecture(options.arch, shape, seededRandom(options.seed));
  // Recurrent state does not grow with context, so a huge trained length avoids llama.cpp's
  // "n_ctx_seq > n_ctx_train" warning when the runtime opens a huge context on purpose.
  // Models with attention layers keep a realistic length: their KV cache grows with the context.
  const contextLength = options.contextLength ?? (hasAttention(options.arch) ? 131072 : 2 ** 30);
  const arch = options.arch;
  const entries: [string, GgufValue][] = [
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: `tiny-${arch}-d${dModel}-l${layers}-s${options.seed}` }],
    ["general.file_type", { type: "u32", value: 0 }],
    [`${arch}.context_length`, { type: "u32", value: contextLength }],
    [`${arch}.embedding_length`, { type: "u32", value: dModel }],
    [`${arch}.block_count`, { type: "u32", value: layers }],
    ...metadata,
    ...tokenizerMetadata(vocabulary),
  ];
  if (options.chatTemplate !== undefined) entries.push(["tokenizer.chat_template", { type: "string", value: options.chatTemplate }]);
  await mkdir(dirname(options.path), { recursive: true });
  // Write then rename, so a concurrent reader never sees a half-written model.
  const partial = `${options.path}.${process.pid}.partial`;
  await writeGguf(partial, new Map(entries), tensors);
  await rename(partial, options.path);
}
