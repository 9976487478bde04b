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
  /** What the error messages tell the user to do: VS Code's sign-in and setting unless given. */
  readonly advice?: GitHubAdvice;
}

/** The endings of the error messages that name a way to sign in or to set the API's URL; each
 * starts with its own separator (". " or "; "), so that a caller can keep a message one sentence. */
export interface GitHubAdvice {
  readonly badCredentials: string;
  readonly forbidden: string;
  readonly notFound: string;
  readonly rateLimited: string;
  readonly unreachable: string;
  /** Where the API's URL is set, named by the bad-answer and bad-URL messages. */
  readonly apiUrl: string;
}

const vscodeAdvice: GitHubAdvice = {
  badCredentials: ". Sign in to GitHub again in VS Code.",
  forbidden: ". Sign in to GitHub if the repository is private.",
  notFound: ". If the repository is private, sign in to GitHub in VS Code.",
  rateLimited: " Signing in to GitHub raises the limit.",
  unreachable: ". Check the network and the setting infiniteToolUse.github.apiUrl.",
  apiUrl: "the setting infiniteToolUse.github.apiUrl",
};

/** For the command line: the token and the API's URL come from the environment. */
export const environmentAdvice: GitHubAdvice = {
  badCredentials: "; set GITHUB_TOKEN to a valid token.",
  forbidden: "; set GITHUB_TOKEN if the repository is private.",
  notFound: "; if the repository is private, set GITHUB_TOKEN.",
  rateLimited: " Setting GITHUB_TOKEN raises the limit.",
  unreachable: "; check the network and GITHUB_API_URL.",
  apiUrl: "GITHUB_API_URL",
};

const listPageSize = 50;
/** Pages of a labelled list followed at most (100 issues each). */
const maxLabelPages = 20;

export class GitHubClient {
  private readonly baseUrl: string;

  private readonly advice: GitHubAdvice;

  constructor(private readonly options: GitHubClientOptions) {
    this.advice = options.advice ?? vscodeAdvice;
    this.baseUrl = checkBaseUrl(options.baseUrl, this.advice);
  }

  /** Open issues, newest first (GitHub's order), pull requests left out. */
  async listOpenIssues(owner: string, repo: string, signal?: AbortSignal): Promise<GitHubIssue[]> {
    const what = `the repository ${owner}/${repo}`;
    const items = await this.get(`/repos/${enc(owner)}/${enc(repo)}/issues?state=open&per_page=${listPageSize}`, what, signal);
    if (!Array.isArray(items)) throw badResponse(what, "expected a list of issues", this.advice);
    return items.filter((item) => !isPullRequest(item)).map((item) => toIssue(item, what, this.advice));
  }

  /** Every open issue with `label` (GitHub filters; pull requests left out), following the API's
   * pagination (its Link header) on the same server. */
  async listLabelledIssues(owner: string, repo: string, label: string, signal?: AbortSignal): Promise<GitHubIssue[]> {
    const what = `the open issues of ${owner}/${repo} labelled "${label}"`;
    const issues: GitHubIssue[] = [];
    let path: string | undefined = `/repos/${enc(owner)}/${enc(repo)}/issues?labels=${enc(label)}&state=open&per_page=100`;
    for (let page = 1; path !== undefined; page++) {
      if (page > maxLabelPages) throw badResponse(what, `more than ${maxLabelPages} pages`, this.advice);
      const { body, next } = await this.getPage(path, what, signal);
      if (!Array.isArray(body)) throw badResponse(what, "expected a list of issues", this.advice);
      issues.push(...body.filter((item) => !isPullRequest(item)).map((item) => toIssue(item, what, this.advice)));
      path = next;
    }
    return issues;
  }

  async getIssue(owner: string, repo: string, number: number, signal?: AbortSignal): Promise<GitHubIssue> {
    if (!Number.isInteger(number) || number < 1) throw new GitHubError("not-found", `#${number} is not an issue number.`);
    const what = `issue #${number} of ${owner}/${repo}`;
    const item = await this.get(`/repos/${enc(owner)}/${enc(repo)}/issues/${number}`, what, signal);
    if (isPullRequest(item)) throw new GitHubError("not-found", `#${number} of ${owner}/${repo} is a pull request, not an issue.`);
    return toIssue(item, what, this.advice);
  }

  private async get(path: string, what: string, signal?: AbortSignal): Promise<unknown> {
    return (await this.getPage(path, what, signal)).body;
  }

  /** The answer's JSON, and the path of its next page when its Link header names one on this server. */
  private async getPage(path: string, what: string, signal?: AbortSignal): Promise<{ body: unknown; next?: string }> {
    const url = `${this.baseUrl}${path}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, { headers: this.headers(), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = timeout.aborted ? "no answer within the time limit" : describeNetworkError(error);
      throw new GitHubError("network", `Could not reach the GitHub API at ${this.baseUrl} to read ${what}: ${reason}${this.advice.unreachable}`);
    }
    if (!response.ok) throw await httpError(response, what, Boolean(this.options.token), this.advice);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw badResponse(what, "the answer is not JSON", this.advice);
    }
    const next = nextPage(response.headers.get("link"), this.baseUrl);
    return next === undefined ? { body } : { body, next };
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

/** The path (below `baseUrl`) of the Link header's rel="next" page; a link elsewhere is not followed. */
function nextPage(link: string | null, baseUrl: string): string | undefined {
  const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? "")?.[1];
  return target?.startsWith(`${baseUrl}/`) ? target.slice(baseUrl.length) : undefined;
}

async function httpError(response: Response, what: string, signedIn: boolean, advice: GitHubAdvice): Promise<GitHubError> {
  const apiMessage = await readApiMessage(response);
  const detail = apiMessage ? ` (GitHub says: ${apiMessage})` : "";
  const status = response.status;
  if (status === 401) return new GitHubError("unauthorized", `GitHub refused the credentials while reading ${what}${detail}${advice.badCredentials}`, status);
  if ((status === 403 || status === 429) && isRateLimited(response, apiMessage)) {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    const when = Number.isFinite(reset) && reset > 0 ? ` It resets at ${new Date(reset * 1000).toISOString()}.` : "";
    const hint = signedIn ? "" : advice.rateLimited;
    return new GitHubError("rate-limited", `GitHub's API rate limit is exhausted, so ${what} could not be read.${when}${hint}`, status);
  }
  if (status === 403) return new GitHubError("forbidden", `GitHub refused access to ${what}${detail}${signedIn ? "." : advice.forbidden}`, status);
  if (status === 404) return new GitHubError("not-found", `GitHub could not find ${what}${signedIn ? "." : advice.notFound}`, status);
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

function toIssue(item: unknown, what: string, advice: GitHubAdvice): GitHubIssue {
  if (!isRecord(item) || typeof item.number !== "number" || typeof item.title !== "string") throw badResponse(what, "an issue without a number or title", advice);
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

function checkBaseUrl(baseUrl: string, advice: GitHubAdvice): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw new GitHubError("network", `The GitHub API URL ${JSON.stringify(baseUrl)} is not a URL; fix ${advice.apiUrl}.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new GitHubError("network", `The GitHub API URL must start with https:// (or http://), not ${parsed.protocol}; fix ${advice.apiUrl}.`);
  }
  return trimmed;
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = isRecord(cause) && typeof cause.code === "string" ? `${cause.code}: ` : "";
  return `${code}${errorMessage(cause)}`;
}

function badResponse(what: string, problem: string, advice: GitHubAdvice): GitHubError {
  return new GitHubError("bad-response", `GitHub's answer for ${what} is not what the API returns (${problem}); check ${advice.apiUrl}.`);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
