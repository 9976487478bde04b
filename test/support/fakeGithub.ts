// An HTTP server on 127.0.0.1 that answers like GitHub's REST API from recorded JSON responses
// (test/fixtures/github/, see its README). It serves the same API under `/` and under GitHub
// Enterprise's `/api/v3`, can demand a token or play an exhausted rate limit, and records the
// requests it saw so tests can check headers.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve, sep } from "node:path";

export interface FakeGithubOptions {
  /** Folder of recorded responses; defaults to test/fixtures/github under the repository. */
  readonly fixturesDir?: string;
  /** When set, requests without `Authorization: Bearer <token>` get GitHub's 401. */
  readonly requireToken?: string;
  /** When true, every request gets GitHub's 403 "API rate limit exceeded". */
  readonly rateLimited?: boolean;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly userAgent?: string;
  readonly accept?: string;
}

export interface FakeGithub {
  /** The API base URL to configure (http://127.0.0.1:<port>). */
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

const documentation = "https://docs.github.com/rest";

export function defaultGithubFixtures(): string {
  return join(process.env.ITU_REPO_ROOT ?? process.cwd(), "test", "fixtures", "github");
}

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const fixturesDir = resolve(options.fixturesDir ?? defaultGithubFixtures());
  if (!existsSync(fixturesDir)) throw new Error(`recorded GitHub responses not found at ${fixturesDir}`);
  const requests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? "",
      url: request.url ?? "",
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(request.headers["user-agent"] ? { userAgent: request.headers["user-agent"] } : {}),
      ...(request.headers.accept ? { accept: request.headers.accept } : {}),
    });
    answer(request, response, fixturesDir, options);
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

function answer(request: IncomingMessage, response: ServerResponse, fixturesDir: string, options: FakeGithubOptions): void {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
  if (options.rateLimited) {
    const reset = Math.floor(Date.parse("2030-01-01T00:00:00Z") / 1000);
    return send(response, 403, { message: "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)", documentation_url: documentation }, { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) });
  }
  if (options.requireToken && request.headers.authorization !== `Bearer ${options.requireToken}`) {
    return send(response, 401, { message: "Bad credentials", documentation_url: documentation });
  }
  if (request.method !== "GET") return send(response, 404, { message: "Not Found", documentation_url: documentation });
  const file = recordedFile(path, fixturesDir);
  if (!file || !file.startsWith(fixturesDir + sep) || !existsSync(file)) return send(response, 404, { message: "Not Found", documentation_url: documentation });
  send(response, 200, JSON.parse(readFileSync(file, "utf8")) as unknown, { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "59" });
}

function recordedFile(path: string, fixturesDir: string): string | undefined {
  const list = /^\/repos\/([\w.-]+)\/([\w.-]+)\/issues\/?$/.exec(path);
  if (list) return join(fixturesDir, list[1]!, list[2]!, "issues.json");
  const one = /^\/repos\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+)$/.exec(path);
  if (one) return join(fixturesDir, one[1]!, one[2]!, "issues", `${one[3]}.json`);
  return undefined;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-media-type": "github.v3; format=json", ...headers });
  response.end(JSON.stringify(body));
}

function listen(server: Server): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => done());
  });
}
