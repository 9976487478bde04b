// `from-git --check` from a shell on a history made of the test fixtures (each fixture folder one
// commit over the previous one: files created, edited, renamed and deleted; binaries; a file
// without a final newline), plus hand-made commits for the syntax guard and line endings: every
// text-only commit is replayed in ONE headless VS Code and rebuilds its tree exactly, and the
// user's repository is exactly as it was. Bad input gets exit 2 and a clear message.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { git, Repo } from "./gitFixture";

const root = process.cwd();
const cli = join(root, "dist/cli.mjs");
const codeServer = join(root, ".cache/code-server/node_modules/code-server/out/node/entry.js");
const fixtures = ["agent", "agent-expected", "demo", "tools", "issues", "resume", "sessions", "restricted", "github", "traces"];

function fromGit(args: string[], timeout = 60_000) {
  return spawnSync(process.execPath, [cli, "from-git", ...args], { encoding: "utf8", timeout });
}

describe("from-git from a shell", () => {
  let scratch: string;
  let repo: Repo;
  let first: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "itu-from-git-cli-"));
    repo = new Repo(join(scratch, "history"));
    repo.write("README.md", "# Fixtures as history\n");
    first = repo.commit("Start");
    for (const name of fixtures) {
      for (const entry of readdirSync(repo.dir)) if (entry !== ".git") repo.remove(entry);
      cpSync(join(root, "test/fixtures", name), repo.dir, { recursive: true });
      repo.commit(`The ${name} fixture\n\nEvery file of test/fixtures/${name}.`);
    }
    // A change whose hunks only parse together, a CRLF edit, a rename with an edit.
    repo.write("guarded.ts", "export function f(x: number): number {\n  let y = x;\n  y += 1;\n  y *= 2;\n  return y;\n}\n").write("crlf.txt", "a\r\nb\r\nc\r\n");
    repo.commit("Two files for the last commits");
    repo.write("guarded.ts", "export function f(x: number): number {\n  let y = x;\n  if (x > 0) {\n  y += 1;\n  y *= 2;\n  }\n  return y;\n}\n").write("crlf.txt", "a\r\nB\r\nc\r\nd\r\n");
    repo.remove("crlf.txt").write("moved/crlf.txt", "a\r\nB\r\nc\r\nd\r\n");
    repo.commit("Guarded edit, CRLF edit and a move");
    repo.write("uncommitted.txt", "the user's own work\n");
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("replays every converted commit in one VS Code launch; all text-only commits rebuild their exact tree; the repository is unchanged", { skip: !existsSync(codeServer) && process.env.CI !== "true" ? "code-server not installed (npm run setup)" : false }, () => {
    const out = join(scratch, "out");
    const issue = join(scratch, "issue.md");
    writeFileSync(issue, "---\nnumber: 7\n---\n# Build the fixtures\n\nAll of them.\n");
    const before = repo.fingerprint();
    const run = fromGit([repo.dir, "--range", `${first}..main`, "--out", out, "--issue", issue, "--check", "--json"], 900_000);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as { textOnly: number; exact: number; misses: unknown[]; withSkipped: { sha: string; restExact: boolean }[]; guardJoined: number };
    console.log(`    fixture history: ${report.exact}/${report.textOnly} text-only commits reproduce the exact tree; ${report.withSkipped.length} with skipped files (rest exact: ${report.withSkipped.filter((c) => c.restExact).length}); ${report.guardJoined} with hunks joined for the guard`);
    assert.deepEqual(report.misses, []);
    assert.equal(report.exact, report.textOnly);
    assert.ok(report.textOnly >= 8, `most fixture commits are text-only (${report.textOnly})`);
    assert.ok(report.withSkipped.length >= 1, "the tools fixture's binary file is skipped");
    assert.ok(report.guardJoined >= 1, "the guarded edit needed its hunks joined");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { version: number; task: string; issue: number; session: string; commits: unknown[] };
    assert.equal(manifest.version, 1);
    assert.equal(manifest.issue, 7);
    assert.match(manifest.task, /^Build the fixtures \(issue #7\)\n\nAll of them\.$/);
    assert.equal(manifest.commits.length, fixtures.length + 2);
    assert.equal(readFileSync(join(out, manifest.session), "utf8").trim().split("\n").pop()!.includes('"tool":"finish"'), true);
    assert.equal(repo.fingerprint(), before, "refs, HEAD, index, worktrees, stash and config are as they were");
    assert.equal(readFileSync(join(repo.dir, "uncommitted.txt"), "utf8"), "the user's own work\n");
  });

  it("refuses a shallow clone, a folder that is not a repository and a missing range with exit 2", () => {
    const shallow = join(scratch, "shallow");
    git(scratch, ["clone", "-q", "--depth", "2", `file://${repo.dir}`, shallow]);
    const out = join(scratch, "refused");
    let run = fromGit([shallow, "--range", "HEAD", "--out", out]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /shallow clone/);
    run = fromGit([scratch, "--range", "HEAD", "--out", out]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /not a git repository/);
    run = fromGit([repo.dir, "--out", out]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--range is missing/);
    assert.equal(existsSync(out), false, "nothing is written for refused input");
  });
});
