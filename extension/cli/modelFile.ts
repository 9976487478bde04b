// Checks a model file before llama.cpp sees it: llama.cpp aborts the process on some malformed
// inputs, so a file that is not GGUF, or is cut short, is refused here with a plain message.
import { stat } from "node:fs/promises";
import { readGgufFileInfo, type GgufFileInfo } from "node-llama-cpp";
import { errorMessage } from "../core/errorMessage";
import { hasGgufHeader } from "../../native/engine/ggufHeader";
import { specialTokenTexts } from "../../native/engine/tokenGuards";

export interface CheckedModelFile {
  readonly info: GgufFileInfo;
  readonly architecture: string;
  readonly chatTemplate?: string;
  readonly name: string;
  /** Texts of the vocabulary's control and user-defined tokens. */
  readonly specialTokens: readonly string[];
}

export async function checkModelFile(path: string): Promise<CheckedModelFile | { error: string }> {
  let size: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) return { error: `${path} is not a file` };
    size = stats.size;
  } catch {
    return { error: `${path} does not exist or cannot be read` };
  }
  if (!(await hasGgufHeader(path))) return { error: `${path} is not a GGUF model file (it does not start with "GGUF")` };
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
  } catch (e) {
    return { error: `${path} is a damaged or truncated GGUF file: ${errorMessage(e)}` };
  }
  const needed = tensorDataEnd(info);
  if (needed !== undefined && size < needed) {
    return { error: `${path} is truncated: its tensors need at least ${needed} bytes but the file has ${size}` };
  }
  const metadata = info.metadata as unknown as { general?: { architecture?: string; name?: string }; tokenizer?: { chat_template?: string; ggml?: { tokens?: string[]; token_type?: number[] } } };
  const ggml = metadata.tokenizer?.ggml;
  return {
    info,
    name: metadata.general?.name ?? path.split(/[\\/]/).pop() ?? path,
    specialTokens: [...specialTokenTexts(ggml?.tokens ?? [], ggml?.token_type).values()],
    architecture: metadata.general?.architecture ?? "unknown",
    ...(metadata.tokenizer?.chat_template ? { chatTemplate: metadata.tokenizer.chat_template } : {}),
  };
}

// F32 and F16 are what the project's files use; other types are left to llama.cpp's own bounds check.
const BYTES_PER_ELEMENT: Record<number, number> = { 0: 4, 1: 2 };

/** A lower bound on the file size from the last tensor's offset and size, when its type is simple. */
function tensorDataEnd(info: GgufFileInfo): number | undefined {
  const tensors = info.fullTensorInfo ?? info.tensorInfo;
  if (!tensors || tensors.length === 0) return undefined;
  const headerEnd = info.metadataSize + (info.tensorInfoSize ?? 0);
  let end = 0;
  for (const tensor of tensors) {
    const width = BYTES_PER_ELEMENT[tensor.ggmlType as number];
    const elements = tensor.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    const bytes = width === undefined ? 0 : elements * width;
    end = Math.max(end, Number(tensor.offset) + bytes);
  }
  return headerEnd + end;
}
