// `batch <repo> --issues <label>`: the open GitHub issues with that label, read from a small stand-in
// for GitHub's REST API on 127.0.0.1 (GITHUB_API_URL points the CLI at it; nothing else is reached).
// The stand-in filters by the `labels` and `state` query as GitHub does, pages its answer with a Link
// header and lists one pull request, which is not an issue. The sessions replay a trace, so what is
// proven is the label source: one branch per labelled issue; an API that refuses or is not there
// gives one sentence and creates nothing.
import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { closedPort } from "../../harness/llamaServerProcess";
import { codeServerMissing, git, root, runCliOnGitHub, type BatchRow } from "./headlessCli";

const trace = join(root, "test/fixtures/traces/add-subtract.jsonl");
const LABEL = "agent ready";
const issuesPath = "/repos/octo-org/hello-world/issues";

interface StandIn {
  readonly url: string;
  /** The request URLs it saw, in order. */
  readonly seen: string[];
  /** 200: the labelled list; anything else: that status with GitHub's error body. */
  status: number;
  close(): Promise<void>;
}

function issue(number: number, title: string, labels: readonly string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { number, title, body: `Add subtract() next to add() and test it (issue ${number}).`, html_url: `https://github.com/octo-org/hello-world/issues/${number}`, labels: labels.map((name) => ({ name })), user: { login: "octocat" }, ...extra };
}

/** Page 1: issue 11 and pull request 12; page 2: issue 13. Issue 14 has another label. */
const pages = [
  [issue(11, "Add subtract", [LABEL, "enhancement"]), issue(12, "Add subtract (pull request)", [LABEL], { pull_request: { url: "https://api.github.com/repos/octo-org/hello-world/pulls/12" } })],
  [issue(13, "Add subtract, again", [LABEL])],
];
const otherLabel = [issue(14, "Unlabelled work", ["question"])];

async function startStandIn(): Promise<StandIn> {
  const seen: string[] = [];
  const state = { status: 200 };
  let base = "";
  const server: Server = createServer((request, response) => {
    seen.push(request.url ?? "");
    const url = new URL(request.url ?? "/", base);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      response.end(JSON.stringify(body));
    };
    if (state.status !== 200) {
      const message = { 401: "Bad credentials", 404: "Not Found" }[state.status] ?? "Server Error";
      return json(state.status, { message, documentation_url: "https://docs.github.com/rest" });
    }
    if (url.pathname !== issuesPath || url.searchParams.get("state") !== "open") return json(404, { message: "Not Found" });
    // As GitHub: `labels` filters; without it every open issue is listed.
    if (url.searchParams.get("labels") !== LABEL) return json(200, url.searchParams.has("labels") ? [] : [...pages.flat(), ...otherLabel]);
    const page = Number(url.searchParams.get("page") ?? "1");
    const link = (n: number) => {
      const next = new URL(url);
      next.searchParams.set("page", String(n));
      return next.href;
    };
    const links = page < pages.length ? { link: `<${link(page + 1)}>; rel="next", <${link(pages.length)}>; rel="last"` } : { link: `<${link(1)}>; rel="first", <${link(page - 1)}>; rel="prev"` };
    json(200, pages[page - 1] ?? [], links);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    seen,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("batch --issues <label>: the GitHub label source", () => {
  let scratch: string;
  let repo: string;
  let github: StandIn;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-batch-github-"));
    repo = join(scratch, "repo");
    cpSync(join(root, "test/fixtures/agent"), repo, { recursive: true });
    git(repo, ["init", "-q", "-b", "main"]);
    git(repo, ["add", "-A"]);
    git(repo, ["commit", "-qm", "Calculator project"]);
    git(repo, ["remote", "add", "origin", "https://github.com/octo-org/hello-world.git"]);
    github = await startStandIn();
  });
  after(async () => {
    await github?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const label = `octo-org/hello-world labelled "${LABEL}"`;
  const refusals: [string, number, RegExp][] = [
    ["401", 401, new RegExp(`^batch: GitHub refused the credentials while reading the open issues of ${esc(label)} \\(GitHub says: Bad credentials\\); set GITHUB_TOKEN to a valid token\\.$`)],
    ["404", 404, new RegExp(`^batch: GitHub could not find the open issues of ${esc(label)}; if the repository is private, set GITHUB_TOKEN\\.$`)],
    ["500", 500, new RegExp(`^batch: GitHub answered 500 Internal Server Error for the open issues of ${esc(label)} \\(GitHub says: Server Error\\)\\.$`)],
  ];
  for (const [name, status, message] of refusals) {
    it(`says in one sentence that the API answered ${name}, and creates no branch`, async () => {
      github.status = status;
      const run = await runCliOnGitHub(["batch", repo, "--issues", LABEL, "--replay", trace], github.url);
      assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr.trim(), message);
      assertNothingCreated(repo);
    });
  }

  it("says in one sentence that the API is unreachable, and creates no branch", async () => {
    const port = await closedPort();
    const run = await runCliOnGitHub(["batch", repo, "--issues", LABEL, "--replay", trace], `http://127.0.0.1:${port}`);
    assert.equal(run.status, 2, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr.trim(), new RegExp(`^batch: Could not reach the GitHub API at http://127\\.0\\.0\\.1:${port} to read the open issues of ${esc(label)}: ECONNREFUSED: [^\\n]*; check the network and GITHUB_API_URL\\.$`));
    assertNothingCreated(repo);
  });

  it("runs one session per labelled issue, across both pages, leaving out the pull request", { skip: codeServerMissing() ?? false }, async () => {
    github.status = 200;
    github.seen.length = 0;
    const run = await runCliOnGitHub(["batch", repo, "--issues", LABEL, "--replay", trace, "--parallel", "2", "--json"], github.url);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const rows = (JSON.parse(run.stdout.trim()) as { sessions: BatchRow[] }).sessions;
    assert.deepEqual(rows.map((r) => [r.issue, r.reason]), [[11, "finished"], [13, "finished"]]);
    assert.deepEqual(github.seen.map((u) => new URL(u, github.url).searchParams.get("page")), [null, "2"], "the second page was followed");
    assert.equal(new URL(github.seen[0]!, github.url).searchParams.get("labels"), LABEL);
    const branches = git(repo, ["for-each-ref", "--format=%(refname:short)", "refs/heads/infinite/"]).split("\n").filter(Boolean).sort();
    assert.equal(branches.length, 2, branches.join(", "));
    assert.match(branches[0]!, /^infinite\/\d{4}-\d\d-\d\d-issue-11-/);
    assert.match(branches[1]!, /^infinite\/\d{4}-\d\d-\d\d-issue-13-/);
    assert.equal(git(repo, ["status", "--porcelain"]), "", "the user's files are untouched");
  });
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function assertNothingCreated(repo: string): void {
  assert.equal(git(repo, ["for-each-ref", "refs/infinite/"]), "", "no session was started");
  assert.equal(git(repo, ["for-each-ref", "--format=%(refname)", "refs/heads/"]).trim(), "refs/heads/main", "no branch was created");
}
