// `from-git --issue N` from a shell: the task is issue N of the repository's GitHub remote, read
// from a stand-in for GitHub's REST API on 127.0.0.1 (GITHUB_API_URL points the CLI at it, as for
// `batch`; nothing else is reached). The converted range carries the issue's text and number; an
// API that refuses gives one sentence naming GITHUB_TOKEN and writes nothing.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runCliOnGitHub } from "../cli/headlessCli";
import { git, Repo } from "./gitFixture";

const issuePath = "/repos/octo-org/hello-world/issues/7";

describe("from-git --issue N: the task from the GitHub remote", () => {
  let scratch: string;
  let repo: Repo;
  let range: string;
  let server: Server;
  let apiUrl: string;
  const seen: string[] = [];
  let status = 200;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "itu-from-git-issue-"));
    repo = new Repo(join(scratch, "hello-world"));
    git(repo.dir, ["remote", "add", "origin", "https://github.com/octo-org/hello-world.git"]);
    repo.write("math.js", "export const add = (a, b) => a + b;\n");
    const base = repo.commit("add()");
    repo.write("math.js", "export const add = (a, b) => a + b;\nexport const subtract = (a, b) => a - b;\n");
    range = `${base}..${repo.commit("subtract()")}`;
    server = createServer((request, response) => {
      seen.push(request.url ?? "");
      const code = status !== 200 ? status : request.url === issuePath ? 200 : 404;
      response.writeHead(code, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(code === 200 ? { number: 7, title: "Add subtract", body: "Add subtract() next to add().", html_url: "https://github.com/octo-org/hello-world/issues/7", labels: [], user: { login: "octocat" } } : { message: "Not Found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  it("reads issue 7 of the remote's repository and writes its text and number into the manifest", async () => {
    const out = join(scratch, "out");
    const run = await runCliOnGitHub(["from-git", repo.dir, "--range", range, "--out", out, "--issue", "7"], apiUrl);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.deepEqual(seen, [issuePath]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { task?: string; issue?: number };
    assert.equal(manifest.issue, 7);
    assert.match(manifest.task ?? "", /Add subtract/);
    assert.match(manifest.task ?? "", /Add subtract\(\) next to add\(\)\./);
  });

  it("says in one sentence that the issue was not found, naming GITHUB_TOKEN, and writes nothing", async () => {
    status = 404;
    const out = join(scratch, "refused");
    const run = await runCliOnGitHub(["from-git", repo.dir, "--range", range, "--out", out, "--issue", "7"], apiUrl);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr.trim(), /^from-git: [^\n]*issue #7 of octo-org\/hello-world[^\n]*GITHUB_TOKEN[^\n]*$/);
    assert.equal(existsSync(out), false);
  });
});
