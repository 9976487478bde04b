// Downloads a model through node-llama-cpp's own downloader (hf: URIs and plain URLs, parallel
// connections, resume of a partial file), then checks what arrived: the size the server announced
// (and the catalog's, when known), the GGUF header, and the SHA-256 when the catalog has one.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { createModelDownloader } from "node-llama-cpp";
import { EngineError } from "./errors";
import { hasGgufHeader } from "./ggufHeader";
import { checkDownloadSource, diskFullError, freeBytes, networkErrorCode } from "./downloadPreflight";
import { errorMessage } from "../errorMessage";
import type { DownloadedModel, DownloadRequest } from "../protocol";

export type { DownloadedModel };

export interface DownloadModelOptions extends DownloadRequest {
  onProgress?: (progress: { downloadedBytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
}



export async function downloadModel(options: DownloadModelOptions): Promise<DownloadedModel> {
  await checkDownloadSource(options.uri, options.huggingFaceEndpoint, options.signal);
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
    throw resolveError(options.uri, error);
  });
  const existing = await stat(downloader.entrypointFilePath).catch(() => undefined);
  if (existing && existing.size === downloader.totalSize) {
    const bytes = await verifyDownload(downloader.entrypointFilePath, { announced: downloader.totalSize, expectedSize: options.expectedSize, sha256: options.sha256 });
    return { path: downloader.entrypointFilePath, bytes, reused: true };
  }
  // Refused before a byte is written when the file cannot fit (a partial one already holds its part).
  const free = await freeBytes(options.directory);
  const needed = downloader.totalSize - (existing?.size ?? 0);
  if (free !== undefined && downloader.totalSize > 0 && free < needed) throw diskFullError(options.directory, { needed, free, partialDeleted: false });
  let path: string;
  const diskFull = watchForDiskFull();
  try {
    // Not download({signal}): that path deletes the partial file. Cancelling ourselves keeps it.
    const cancel = () => void downloader.cancel({ deleteTempFile: false });
    options.signal?.addEventListener("abort", cancel, { once: true });
    try {
      path = await Promise.race([downloader.download(), diskFull.happened]);
    } finally {
      options.signal?.removeEventListener("abort", cancel);
    }
  } catch (error) {
    if (options.signal?.aborted) throw new EngineError("CANCELLED", "Download cancelled; it resumes on the next attempt");
    if (diskFull.seen || (error as { code?: unknown }).code === "ENOSPC") {
      // What was written after the disk filled cannot be trusted: never leave it to be loaded or resumed.
      await downloader.cancel({ deleteTempFile: true }).catch(() => undefined);
      await rm(downloader.entrypointFilePath, { force: true });
      await rm(`${downloader.entrypointFilePath}.ipull`, { force: true });
      throw diskFullError(options.directory, { partialDeleted: true });
    }
    throw new EngineError("LOAD_FAILED", `Download of ${options.uri} failed: ${errorMessage(error)}`);
  } finally {
    diskFull.stop();
  }
  // A cancelled download settles normally, leaving only the partial file.
  if (options.signal?.aborted) throw new EngineError("CANCELLED", "Download cancelled; it resumes on the next attempt");
  const bytes = await verifyDownload(path, { announced: downloader.totalSize, expectedSize: options.expectedSize, sha256: options.sha256 });
  return { path, bytes, reused: false };
}

/** The downloader could not even start: no connection, an error answer, or a URI that names nothing. */
function resolveError(uri: string, error: unknown): EngineError {
  const status = (error as { statusCode?: unknown }).statusCode ?? /: (\d{3}) /.exec(errorMessage(error))?.[1];
  if (networkErrorCode(error) || /fetch failed/i.test(errorMessage(error))) {
    return new EngineError("NETWORK", `No connection to the download host for ${uri} (${errorMessage(error)})`, { code: networkErrorCode(error) ?? "unknown" });
  }
  if (status !== undefined) return new EngineError("HTTP_STATUS", `The download host answered HTTP ${String(status)} for ${uri}`, { status: Number(status) });
  return new EngineError("NOT_FOUND", `Cannot resolve ${uri}: ${errorMessage(error)}`);
}

// ipull writes chunks without awaiting them: a full disk surfaces as unhandled rejections (which
// would end the model host) and the download never settles. Once a download has run, one listener
// turns ENOSPC into a failure of the downloads in progress (late ones from a download already
// failed are dropped); any other unhandled rejection is rethrown as Node would have.
const diskFullWatchers = new Set<(error: Error) => void>();
let listening = false;

function onUnhandledRejection(reason: unknown): void {
  if ((reason as { code?: unknown } | undefined)?.code === "ENOSPC") {
    for (const watcher of diskFullWatchers) watcher(reason as Error);
    return;
  }
  process.nextTick(() => {
    throw reason;
  });
}

function watchForDiskFull(): { happened: Promise<never>; readonly seen: boolean; stop(): void } {
  let seen = false;
  let fail: (error: Error) => void = () => {};
  const happened = new Promise<never>((_, reject) => (fail = reject));
  happened.catch(() => undefined);
  const watcher = (error: Error) => {
    seen = true;
    fail(error);
  };
  if (!listening) process.on("unhandledRejection", onUnhandledRejection);
  listening = true;
  diskFullWatchers.add(watcher);
  return {
    happened,
    get seen() {
      return seen;
    },
    stop: () => diskFullWatchers.delete(watcher),
  };
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
