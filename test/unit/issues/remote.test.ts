import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiBaseFor, parseGitHubRemote } from "../../../extension/core/issues/remote";

describe("GitHub remotes", () => {
  const cases: Array<[string, string, string, string]> = [
    ["https://github.com/octo-org/hello-world.git", "github.com", "octo-org", "hello-world"],
    ["https://github.com/octo-org/hello-world", "github.com", "octo-org", "hello-world"],
    ["https://github.com/octo-org/hello-world/", "github.com", "octo-org", "hello-world"],
    ["https://x-access-token:ghp_abc@github.com/octo-org/hello.world.git", "github.com", "octo-org", "hello.world"],
    ["git@github.com:octo-org/hello-world.git", "github.com", "octo-org", "hello-world"],
    ["github.com:octo-org/hello-world", "github.com", "octo-org", "hello-world"],
    ["ssh://git@github.com/octo-org/hello-world.git", "github.com", "octo-org", "hello-world"],
    ["ssh://git@github.com:22/octo-org/hello-world.git", "github.com", "octo-org", "hello-world"],
    ["git://github.com/octo-org/hello-world.git", "github.com", "octo-org", "hello-world"],
    ["https://GHE.Example.com/platform/api-server.git", "ghe.example.com", "platform", "api-server"],
    ["git@ghe.example.com:platform/api-server.git", "ghe.example.com", "platform", "api-server"],
    ["  https://github.com/octo-org/hello-world.git\n", "github.com", "octo-org", "hello-world"],
  ];
  for (const [url, host, owner, repo] of cases) {
    it(`reads ${JSON.stringify(url)}`, () => assert.deepEqual(parseGitHubRemote(url), { host, owner, repo }));
  }

  for (const url of ["/srv/git/project.git", "file:///srv/git/project.git", "https://gitlab.com/group/sub/project.git", "https://github.com/octo-org", "", "C:\\repos\\x"]) {
    it(`finds no owner/repo in ${JSON.stringify(url)}`, () => assert.equal(parseGitHubRemote(url), undefined));
  }

  it("uses the setting when changed, the public API for github.com, and /api/v3 for an Enterprise host", () => {
    const dotcom = { host: "github.com", owner: "o", repo: "r" };
    const ghe = { host: "ghe.example.com", owner: "o", repo: "r" };
    assert.equal(apiBaseFor(dotcom, "https://api.github.com"), "https://api.github.com");
    assert.equal(apiBaseFor(dotcom, "http://127.0.0.1:5555/"), "http://127.0.0.1:5555");
    assert.equal(apiBaseFor(ghe, "https://api.github.com"), "https://ghe.example.com/api/v3");
    assert.equal(apiBaseFor(ghe, undefined), "https://ghe.example.com/api/v3");
    assert.equal(apiBaseFor(ghe, "https://ghe.example.com/api/v3"), "https://ghe.example.com/api/v3");
  });
});
