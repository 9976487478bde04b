// Real recurrent and hybrid GGUF models a user can pick (no vscode import: plain data and helpers).
// Sizes are those of the Q4_K_M files; RAM is file size plus state and runtime headroom.
// `fileVerified` marks entries whose exact file name was checked against the repository listing;
// the others use node-llama-cpp's "hf:<repo>:<quant>" form, which resolves the file at download time.

export type ToolCallFormat = "plain" | "hermes" | "rwkv";

export interface CatalogModel {
  id: string;
  name: string;
  /** GGUF general.architecture. */
  family: "rwkv7" | "rwkv6" | "mamba" | "mamba2" | "granitehybrid" | "lfm2" | "falcon-h1" | "jamba" | "nemotron_h";
  kind: "recurrent" | "hybrid";
  parameters: string;
  sizeBytes: number;
  ramBytes: number;
  uri: string;
  toolCallFormat: ToolCallFormat;
  fileVerified: boolean;
  sha256?: string;
  note?: string;
}

const MB = 1e6;
const GB = 1e9;

export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: "rwkv7-1.5b-world", name: "RWKV-7 World 1.5B", family: "rwkv7", kind: "recurrent", parameters: "1.5B",
    sizeBytes: 1.0 * GB, ramBytes: 1.6 * GB, uri: "hf:Mungert/rwkv7-1.5B-world-GGUF:Q4_K_M", toolCallFormat: "rwkv", fileVerified: false,
    note: "Pure RNN: constant memory and cost per token at any session length.",
  },
  {
    id: "rwkv7-2.9b-world", name: "RWKV-7 Goose World3 2.9B", family: "rwkv7", kind: "recurrent", parameters: "2.9B",
    sizeBytes: 1.9 * GB, ramBytes: 2.8 * GB, uri: "hf:Mungert/RWKV7-Goose-World3-2.9B-HF-GGUF:Q4_K_M", toolCallFormat: "rwkv", fileVerified: false,
  },
  {
    id: "lfm2-350m", name: "LFM2 350M", family: "lfm2", kind: "hybrid", parameters: "0.35B",
    sizeBytes: 229 * MB, ramBytes: 0.6 * GB, uri: "hf:LiquidAI/LFM2-350M-GGUF/LFM2-350M-Q4_K_M.gguf", toolCallFormat: "plain", fileVerified: true,
    note: "Convolution + attention hybrid; small enough for any machine.",
  },
  {
    id: "lfm2-1.2b", name: "LFM2 1.2B", family: "lfm2", kind: "hybrid", parameters: "1.2B",
    sizeBytes: 731 * MB, ramBytes: 1.4 * GB, uri: "hf:LiquidAI/LFM2-1.2B-GGUF/LFM2-1.2B-Q4_K_M.gguf", toolCallFormat: "plain", fileVerified: false,
  },
  {
    id: "granite-4.0-h-micro", name: "Granite 4.0-H Micro", family: "granitehybrid", kind: "hybrid", parameters: "3B",
    sizeBytes: 1.9 * GB, ramBytes: 3.0 * GB, uri: "hf:ibm-granite/granite-4.0-h-micro-GGUF:Q4_K_M", toolCallFormat: "hermes", fileVerified: false,
    note: "Mamba-2 + attention (9:1); trained for <tool_call> tool use.",
  },
  {
    id: "granite-4.0-h-tiny", name: "Granite 4.0-H Tiny (MoE, 1B active)", family: "granitehybrid", kind: "hybrid", parameters: "7B",
    sizeBytes: 4.2 * GB, ramBytes: 5.5 * GB, uri: "hf:ibm-granite/granite-4.0-h-tiny-GGUF:Q4_K_M", toolCallFormat: "hermes", fileVerified: false,
  },
  {
    id: "falcon-h1-1.5b", name: "Falcon-H1 1.5B Instruct", family: "falcon-h1", kind: "hybrid", parameters: "1.5B",
    sizeBytes: 1.0 * GB, ramBytes: 1.8 * GB, uri: "hf:tiiuae/Falcon-H1-1.5B-Instruct-GGUF:Q4_K_M", toolCallFormat: "hermes", fileVerified: false,
    note: "Parallel Mamba-2 + attention heads in every layer.",
  },
];

export function findCatalogModel(id: string): CatalogModel | undefined {
  return MODEL_CATALOG.find((m) => m.id === id);
}

function formatBytes(bytes: number): string {
  return bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${Math.round(bytes / MB)} MB`;
}

/** One line for a picker: what it is, how big, how much RAM. */
export function describeCatalogModel(model: CatalogModel): string {
  return `${model.kind} · ${model.family} · ${model.parameters} · ${formatBytes(model.sizeBytes)} download · ~${formatBytes(model.ramBytes)} RAM · ${model.toolCallFormat} calls`;
}

/** Catalog models that fit in the given free memory, smallest first. */
export function modelsThatFit(freeBytes: number): CatalogModel[] {
  return MODEL_CATALOG.filter((m) => m.ramBytes <= freeBytes).sort((a, b) => a.ramBytes - b.ramBytes);
}
