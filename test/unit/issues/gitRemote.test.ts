// Finding a workspace's GitHub repository from its remotes, with real git in temporary repositories.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findGitHubRemote } from "../../../extension/core/issues/gitRemote";

describe("GitHub remote of a workspace", () => {
  const root = mkdtempSync(join(tmpdir(), "itu-remote-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  function repo(name: string, remotes: Record<string, string>): string {
    const dir = join(root, name);
    execFileSync("git", ["init", "-q", dir]);
    for (const [remote, url] of Object.entries(remotes)) execFileSync("git", ["remote", "add", remote, url], { cwd: dir });
    return dir;
  }

  it("prefers origin, then upstream, then any remote naming a GitHub owner/repo", async () => {
    assert.deepEqual(await findGitHubRemote(repo("a", { fork: "https://github.com/me/x.git", origin: "git@github.com:octo-org/hello-world.git" })), { host: "github.com", owner: "octo-org", repo: "hello-world", remote: "origin" });
    assert.deepEqual(await findGitHubRemote(repo("b", { zzz: "https://github.com/me/x.git", upstream: "https://ghe.example.com/team/y" })), { host: "ghe.example.com", owner: "team", repo: "y", remote: "upstream" });
    assert.deepEqual(await findGitHubRemote(repo("c", { origin: "/srv/git/local.git", mirror: "ssh://git@github.com/o/r.git" })), { host: "github.com", owner: "o", repo: "r", remote: "mirror" });
  });

  it("says why there is no GitHub repository", async () => {
    await assert.rejects(findGitHubRemote(repo("d", {})), /has no GitHub remote: it has no remotes/);
    await assert.rejects(findGitHubRemote(repo("e", { origin: "/srv/git/local.git" })), /its remotes \(origin: \/srv\/git\/local\.git\) name no owner\/repo/);
    const plain = mkdtempSync(join(tmpdir(), "itu-plain-"));
    try {
      await assert.rejects(findGitHubRemote(plain), /is not a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
