// Downloads a model through node-llama-cpp's own downloader (hf: URIs and plain URLs, parallel
// connections, resume of a partial file), then checks what arrived: the size the server announced
// (and the catalog's, when known), the GGUF header, and the SHA-256 when the catalog has one.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { createModelDownloader } from "node-llama-cpp";
import { EngineError } from "./errors";
import { hasGgufHeader } from "./ggufHeader";
import { errorMessage } from "../errorMessage";
import type { DownloadedModel, DownloadRequest } from "../protocol";

export type { DownloadedModel };

export interface DownloadModelOptions extends DownloadRequest {
  onProgress?: (progress: { downloadedBytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
}



export async function downloadModel(options: DownloadModelOptions): Promise<DownloadedModel> {
  const isUrl = /^https?:\/\//i.test(options.uri);
  const downloader = await createModelDownloader({
    ...(isUrl ? { modelUrl: options.uri } : { modelUri: options.uri }),
    dirPath: options.directory,
    fileName: options.fileName,
    showCliProgress: false,
    // ipull resumes only through its progress file, which it skips writing with skipExisting;
    // an already complete file is detected below instead.
    skipExisting: false,
    deleteTempFileOnCancel: false,
    endpoints: options.huggingFaceEndpoint ? { huggingFace: options.huggingFaceEndpoint } : undefined,
    onProgress: ({ downloadedSize, totalSize }) => options.onProgress?.({ downloadedBytes: downloadedSize, totalBytes: totalSize }),
  }).catch((error: unknown) => {
    throw new EngineError("NOT_FOUND", `Cannot resolve ${options.uri}: ${errorMessage(error)}`);
  });
  const existing = await stat(downloader.entrypointFilePath).catch(() => undefined);
  if (existing && existing.size === downloader.totalSize) {
    const bytes = await verifyDownload(downloader.entrypointFilePath, { announced: downloader.totalSize, expectedSize: options.expectedSize, sha256: options.sha256 });
    return { path: downloader.entrypointFilePath, bytes, reused: true };
  }
  let path: string;
  try {
    // Not download({signal}): that path deletes the partial file. Cancelling ourselves keeps it.
    const cancel = () => void downloader.cancel({ deleteTempFile: false });
    options.signal?.addEventListener("abort", cancel, { once: true });
    try {
      path = await downloader.download();
    } finally {
      options.signal?.removeEventListener("abort", cancel);
    }
  } catch (error) {
    if (options.signal?.aborted) throw new EngineError("CANCELLED", "Download cancelled; it resumes on the next attempt");
    throw new EngineError("LOAD_FAILED", `Download of ${options.uri} failed: ${errorMessage(error)}`);
  }
  // A cancelled download settles normally, leaving only the partial file.
  if (options.signal?.aborted) throw new EngineError("CANCELLED", "Download cancelled; it resumes on the next attempt");
  const bytes = await verifyDownload(path, { announced: downloader.totalSize, expectedSize: options.expectedSize, sha256: options.sha256 });
  return { path, bytes, reused: false };
}

/** Checks a downloaded file; a bad one is deleted (so a retry starts clean) and reported. */
async function verifyDownload(path: string, expected: { announced: number; expectedSize?: number; sha256?: string }): Promise<number> {
  const { size } = await stat(path);
  const fail = async (why: string): Promise<never> => {
    await rm(path, { force: true });
    throw new EngineError("LOAD_FAILED", `Downloaded file rejected and deleted: ${why}`);
  };
  if (expected.announced > 0 && size !== expected.announced) await fail(`${size} bytes, the server announced ${expected.announced}`);
  if (expected.expectedSize !== undefined && size !== expected.expectedSize) await fail(`${size} bytes, the catalog says ${expected.expectedSize}`);
  if (!(await hasGgufHeader(path))) await fail("not a GGUF file");
  if (expected.sha256) {
    const actual = await sha256Of(path);
    if (actual !== expected.sha256.toLowerCase()) await fail(`SHA-256 ${actual}, expected ${expected.sha256}`);
  }
  return size;
}

export function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
