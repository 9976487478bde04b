// The GitHub client against a real HTTP server on 127.0.0.1 answering from recorded responses.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { GitHubClient, GitHubError } from "../../../extension/core/issues/github";
import { startFakeGithub, type FakeGithub } from "../../support/fakeGithub";

describe("GitHub client", () => {
  let github: FakeGithub;
  before(async () => (github = await startFakeGithub()));
  after(() => github.close());

  it("lists open issues, leaving out pull requests", async () => {
    const issues = await new GitHubClient({ baseUrl: github.url }).listOpenIssues("octo-org", "hello-world");
    assert.deepEqual(
      issues.map((i) => [i.number, i.title]),
      [
        [43, "Support names with émoji in greet()"],
        [42, "Greeting drops the comma"],
        [40, "Document greet() options"],
      ],
    );
    assert.equal(issues[2]?.body, "", "a null body reads as empty");
    assert.deepEqual(issues[0]?.labels, ["enhancement", "good first issue"]);
    const request = github.requests.at(-1);
    assert.equal(request?.url, "/repos/octo-org/hello-world/issues?state=open&per_page=50");
    assert.equal(request?.authorization, undefined, "anonymous when no token is given");
    assert.equal(request?.accept, "application/vnd.github+json");
    assert.ok(request?.userAgent, "GitHub requires a User-Agent");
  });

  it("gets one issue with its exact title and body, sending the token", async () => {
    const issue = await new GitHubClient({ baseUrl: `${github.url}/`, token: "gho_test" }).getIssue("octo-org", "hello-world", 42);
    assert.equal(issue.title, "Greeting drops the comma");
    assert.match(issue.body, /^`greet\("Ada"\)` returns `Hello Ada`.*Café owners noticed first ☕\.$/s);
    assert.equal(issue.url, "https://github.com/octo-org/hello-world/issues/42");
    assert.equal(issue.author, "ada-l");
    assert.equal(github.requests.at(-1)?.authorization, "Bearer gho_test");
    assert.equal(github.requests.at(-1)?.url, "/repos/octo-org/hello-world/issues/42");
  });

  it("serves GitHub Enterprise's /api/v3 base the same way", async () => {
    const issue = await new GitHubClient({ baseUrl: `${github.url}/api/v3` }).getIssue("octo-org", "hello-world", 43);
    assert.equal(issue.number, 43);
  });

  it("refuses a pull request asked for by number", async () => {
    await assert.rejects(new GitHubClient({ baseUrl: github.url }).getIssue("octo-org", "hello-world", 44), (e: unknown) => e instanceof GitHubError && e.kind === "not-found" && /#44 of octo-org\/hello-world is a pull request/.test(e.message));
  });

  it("says clearly when an issue or repository does not exist", async () => {
    const client = new GitHubClient({ baseUrl: github.url });
    await assert.rejects(client.getIssue("octo-org", "hello-world", 999), (e: unknown) => e instanceof GitHubError && e.status === 404 && e.message === "GitHub could not find issue #999 of octo-org/hello-world. If the repository is private, sign in to GitHub in VS Code.");
    await assert.rejects(client.listOpenIssues("octo-org", "secret"), /GitHub could not find the repository octo-org\/secret\. If the repository is private/);
  });

  it("maps 401 and an exhausted rate limit to messages that say what to do", async () => {
    const locked = await startFakeGithub({ requireToken: "right" });
    const limited = await startFakeGithub({ rateLimited: true });
    try {
      await assert.rejects(new GitHubClient({ baseUrl: locked.url, token: "wrong" }).getIssue("octo-org", "hello-world", 42), (e: unknown) => e instanceof GitHubError && e.kind === "unauthorized" && /Bad credentials.*Sign in to GitHub again/.test(e.message));
      assert.equal((await new GitHubClient({ baseUrl: locked.url, token: "right" }).getIssue("octo-org", "hello-world", 42)).number, 42);
      await assert.rejects(new GitHubClient({ baseUrl: limited.url }).listOpenIssues("octo-org", "hello-world"), (e: unknown) => e instanceof GitHubError && e.kind === "rate-limited" && e.status === 403 && /resets at 2030-01-01T00:00:00\.000Z\. Signing in to GitHub raises the limit\./.test(e.message));
    } finally {
      await locked.close();
      await limited.close();
    }
  });

  it("reports a server that cannot be reached, and a base URL that is not one", async () => {
    const gone = await startFakeGithub();
    const url = gone.url;
    await gone.close();
    await assert.rejects(new GitHubClient({ baseUrl: url }).listOpenIssues("octo-org", "hello-world"), (e: unknown) => e instanceof GitHubError && e.kind === "network" && e.message.startsWith(`Could not reach the GitHub API at ${url}`) && /ECONNREFUSED/.test(e.message));
    assert.throws(() => new GitHubClient({ baseUrl: "ftp://example.com" }), /must start with https:\/\//);
    assert.throws(() => new GitHubClient({ baseUrl: "not a url" }), /is not a URL; fix the setting infiniteToolUse\.github\.apiUrl/);
  });

  it("follows a labelled list's next pages on the same server, and no link to another host", async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.url ?? "");
      const page = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("page") ?? "1";
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const next = { "1": `<${base}/repos/o/r/issues?labels=ready&state=open&per_page=100&page=2>; rel="next"`, "2": `<https://elsewhere.invalid/repos/o/r/issues?page=3>; rel="next"` }[page];
      response.writeHead(200, { "content-type": "application/json", ...(next ? { link: next } : {}) });
      response.end(JSON.stringify([{ number: Number(page), title: `issue on page ${page}`, labels: [{ name: "ready" }] }]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new GitHubClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const issues = await client.listLabelledIssues("o", "r", "ready");
      assert.deepEqual(issues.map((i) => i.number), [1, 2]);
      assert.deepEqual(seen, ["/repos/o/r/issues?labels=ready&state=open&per_page=100", "/repos/o/r/issues?labels=ready&state=open&per_page=100&page=2"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
