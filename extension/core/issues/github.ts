// A small GitHub REST client for the issues a session can start from. The base URL is a setting
// (GitHub Enterprise serves the same API under its own host), so tests point it at a local server.
// Every failure becomes a GitHubError whose message says what to do about it.

import { errorMessage } from "../errorMessage";

export interface GitHubIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  /** The issue's page on the web. */
  readonly url: string;
  readonly labels: readonly string[];
  readonly author?: string;
}

export type GitHubErrorKind = "unauthorized" | "rate-limited" | "forbidden" | "not-found" | "network" | "bad-response" | "http";

export class GitHubError extends Error {
  override readonly name = "GitHubError";
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface GitHubClientOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const listPageSize = 50;

export class GitHubClient {
  private readonly baseUrl: string;

  constructor(private readonly options: GitHubClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
  }

  /** Open issues, newest first (GitHub's order), pull requests left out. */
  async listOpenIssues(owner: string, repo: string, signal?: AbortSignal): Promise<GitHubIssue[]> {
    const what = `the repository ${owner}/${repo}`;
    const items = await this.get(`/repos/${enc(owner)}/${enc(repo)}/issues?state=open&per_page=${listPageSize}`, what, signal);
    if (!Array.isArray(items)) throw badResponse(what, "expected a list of issues");
    return items.filter((item) => !isPullRequest(item)).map((item) => toIssue(item, what));
  }

  async getIssue(owner: string, repo: string, number: number, signal?: AbortSignal): Promise<GitHubIssue> {
    if (!Number.isInteger(number) || number < 1) throw new GitHubError("not-found", `#${number} is not an issue number.`);
    const what = `issue #${number} of ${owner}/${repo}`;
    const item = await this.get(`/repos/${enc(owner)}/${enc(repo)}/issues/${number}`, what, signal);
    if (isPullRequest(item)) throw new GitHubError("not-found", `#${number} of ${owner}/${repo} is a pull request, not an issue.`);
    return toIssue(item, what);
  }

  private async get(path: string, what: string, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, { headers: this.headers(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = timeout.aborted ? "no answer within the time limit" : describeNetworkError(error);
      throw new GitHubError("network", `Could not reach the GitHub API at ${this.baseUrl} to read ${what}: ${reason}. Check the network and the setting infiniteToolUse.github.apiUrl.`);
    }
    if (!response.ok) throw await httpError(response, what, Boolean(this.options.token));
    try {
      return await response.json();
    } catch {
      throw badResponse(what, "the answer is not JSON");
    }
  }

  private headers(): Record<string, string> {
    return {
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      // GitHub rejects requests without a User-Agent.
      "User-Agent": "infinite-tool-use",
      ...(this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {}),
    };
  }
}

async function httpError(response: Response, what: string, signedIn: boolean): Promise<GitHubError> {
  const apiMessage = await readApiMessage(response);
  const detail = apiMessage ? ` (GitHub says: ${apiMessage})` : "";
  const status = response.status;
  if (status === 401) return new GitHubError("unauthorized", `GitHub refused the credentials while reading ${what}${detail}. Sign in to GitHub again in VS Code.`, status);
  if ((status === 403 || status === 429) && isRateLimited(response, apiMessage)) {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    const when = Number.isFinite(reset) && reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : "";
    const hint = signedIn ? "" : " Signing in to GitHub raises the limit.";
    return new GitHubError("rate-limited", `GitHub's API rate limit is exhausted, so ${what} could not be read.${when}${hint}`, status);
  }
  if (status === 403) return new GitHubError("forbidden", `GitHub refused access to ${what}${detail}.${signedIn ? "" : " Sign in to GitHub if the repository is private."}`, status);
  if (status === 404) {
    const hint = signedIn ? "" : " If the repository is private, sign in to GitHub in VS Code.";
    return new GitHubError("not-found", `GitHub could not find ${what}.${hint}`, status);
  }
  return new GitHubError("http", `GitHub answered ${status} ${response.statusText} for ${what}${detail}.`, status);
}

function isRateLimited(response: Response, apiMessage: string): boolean {
  return response.headers.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(apiMessage) || response.headers.has("retry-after");
}

async function readApiMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as unknown;
    return isRecord(body) && typeof body.message === "string" ? body.message : "";
  } catch {
    return "";
  }
}

function toIssue(item: unknown, what: string): GitHubIssue {
  if (!isRecord(item) || typeof item.number !== "number" || typeof item.title !== "string") throw badResponse(what, "an issue without a number or title");
  const labels = Array.isArray(item.labels) ? item.labels.map((l) => (isRecord(l) ? l.name : l)).filter((n): n is string => typeof n === "string") : [];
  const author = isRecord(item.user) && typeof item.user.login === "string" ? item.user.login : undefined;
  return {
    number: item.number,
    title: item.title,
    body: typeof item.body === "string" ? item.body : "",
    url: typeof item.html_url === "string" ? item.html_url : "",
    labels,
    ...(author ? { author } : {}),
  };
}

function isPullRequest(item: unknown): boolean {
  return isRecord(item) && item.pull_request !== undefined && item.pull_request !== null;
}

function checkBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new GitHubError("network", `The GitHub API URL ${JSON.stringify(baseUrl)} is not a URL; fix the setting infiniteToolUse.github.apiUrl.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new GitHubError("network", `The GitHub API URL must start with https:// (or http://), not ${parsed.protocol}; fix the setting infiniteToolUse.github.apiUrl.`);
  }
  return trimmed;
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = isRecord(cause) && typeof cause.code === "string" ? `${cause.code}: ` : "";
  return `${code}${errorMessage(cause)}`;
}

function badResponse(what: string, problem: string): GitHubError {
  return new GitHubError("bad-response", `GitHub's answer for ${what} is not what the API returns (${problem}); check infiniteToolUse.github.apiUrl.`);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
