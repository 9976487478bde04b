// One quick request before a download, so that a machine without a network, a mirror that answers
// 404 or 500, or a full disk is reported in seconds. node-llama-cpp's downloader (ipull) retries a
// refused connection or a server error 150 times with back-off (about 12 minutes of silence).
import { statfs } from "node:fs/promises";
import { EngineError } from "./errors";
import { errorMessage } from "../errorMessage";

export const defaultHuggingFaceEndpoint = "https://huggingface.co/";

/** The URL node-llama-cpp will fetch first for `uri` (the file, or the manifest of a `:quant` URI). */
export function firstRequestUrl(uri: string, huggingFaceEndpoint?: string): { url: string; method: "HEAD" | "GET" } {
  if (/^https?:\/\//i.test(uri)) return { url: uri, method: "HEAD" };
  const endpoint = (huggingFaceEndpoint || defaultHuggingFaceEndpoint).replace(/\/*$/, "/");
  const body = uri.replace(/^(hf:|huggingface:)/i, "");
  const tagged = /^([^/]+)\/([^/:]+):([^/]+)$/.exec(body);
  if (tagged) {
    const [, user, repo, tag] = tagged;
    return { url: `${endpoint}v2/${encodeURIComponent(user!)}/${encodeURIComponent(repo!)}/manifests/${encodeURIComponent(tag!)}`, method: "GET" };
  }
  const [user, repo, ...file] = body.split("/");
  if (!user || !repo || file.length === 0) throw new EngineError("BAD_ARGUMENT", `Not a model URI: ${uri} (expected hf:<user>/<repo>/<file>.gguf, hf:<user>/<repo>:<quant> or an http(s) URL)`);
  return { url: `${endpoint}${user}/${repo}/resolve/main/${file.join("/")}`, method: "HEAD" };
}

const connectionCodes: Record<string, string> = {
  ENOTFOUND: "its name does not resolve",
  EAI_AGAIN: "its name does not resolve",
  ECONNREFUSED: "it refused the connection",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
};

/** The system error code inside a fetch failure (`TypeError: fetch failed` hides it in `cause`). */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code in connectionCodes) return code;
    if ((e as { name?: unknown }).name === "TimeoutError") return "ETIMEDOUT";
  }
  return undefined;
}

/** Rejects with NETWORK (no connection) or HTTP_STATUS (an error answer); resolves when the server answers. */
export async function checkDownloadSource(uri: string, huggingFaceEndpoint: string | undefined, signal?: AbortSignal, timeoutMs = 20_000): Promise<void> {
  const { url, method } = firstRequestUrl(uri, huggingFaceEndpoint);
  const host = new URL(url).host;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { method, redirect: "follow", headers: { "User-Agent": "llama-cpp" }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    if (signal?.aborted) throw new EngineError("CANCELLED", "Download cancelled before it started");
    const code = networkErrorCode(error) ?? "unknown";
    const why = connectionCodes[code] ?? errorMessage(error);
    throw new EngineError("NETWORK", `No connection to the download host ${host} (${why})`, { host, url, code });
  }
  if (response.status >= 400) {
    const what = response.status === 404 ? "has no such file" : response.status >= 500 ? "had a server error" : "refused the request";
    throw new EngineError("HTTP_STATUS", `The download host ${host} ${what} (HTTP ${response.status} ${response.statusText}) for ${url}`, { host, url, status: response.status });
  }
}

/** Free bytes on the file system holding `directory`, or undefined when it cannot be told. */
export async function freeBytes(directory: string): Promise<number | undefined> {
  try {
    const fs = await statfs(directory);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return undefined;
  }
}

export function diskFullError(directory: string, sizes: { needed?: number; free?: number; partialDeleted: boolean }): EngineError {
  const mb = (n: number) => `${Math.ceil(n / 1e6)} MB`;
  const { needed, free, partialDeleted } = sizes;
  const amounts = needed !== undefined && free !== undefined ? ` (it needs ${mb(needed)}, ${mb(free)} are free)` : "";
  const partial = partialDeleted ? "; the partial file was deleted" : "";
  return new EngineError("DISK_FULL", `Not enough disk space in ${directory} for the model${amounts}${partial}`, {
    directory,
    ...(needed !== undefined ? { needed } : {}),
    ...(free !== undefined ? { free } : {}),
  });
}
