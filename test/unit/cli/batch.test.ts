// `batch` from a plain shell: real headless VS Code sessions (code-server + Chromium) replaying a
// trace, so that every session's calls are the same and each ends with a finish call. It proves
// the batch machinery (parallel children, branches, the table, resume after a kill), not a model.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli, codeServerMissing, git, killEditorOf, root, type BatchRow } from "./headlessCli";

const trace = join(root, "test/fixtures/traces/add-subtract.jsonl");

function fixtureRepo(folder: string): string {
  cpSync(join(root, "test/fixtures/agent"), folder, { recursive: true });
  git(folder, ["init", "-q", "-b", "main"]);
  git(folder, ["add", "-A"]);
  git(folder, ["commit", "-qm", "Calculator project"]);
  return folder;
}

function issueFolder(folder: string, numbers: readonly number[]): string {
  mkdirSync(folder, { recursive: true });
  for (const n of numbers) writeFileSync(join(folder, `${n}.md`), `---\nnumber: ${n}\n---\n# Add subtract, take ${n}\n\nAdd subtract() next to add() and test it.\n`);
  return folder;
}

/** The tree id git would give the folder's files, computed without touching any real index. */
function treeOf(repo: string, folder: string, scratch: string): string {
  const env = { GIT_INDEX_FILE: join(scratch, `expected-${process.hrtime.bigint()}.index`), GIT_WORK_TREE: folder };
  git(repo, ["add", "-A", "."], env);
  return git(repo, ["write-tree"], env).trim();
}

function batch(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, "batch", ...args], { encoding: "utf8", timeout: 900_000, env: { ...process.env, ...env } });
}

const needsVsCode = { skip: codeServerMissing() ?? false };

describe("batch: bad arguments", () => {
  let scratch: string;
  let repo: string;
  let issues: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "itu-batch-args-"));
    repo = fixtureRepo(join(scratch, "repo"));
    issues = issueFolder(join(scratch, "issues"), [1]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const cases: [string, () => string[], RegExp][] = [
    ["no repository", () => ["--issues", issues, "--replay", trace], /batch needs a repository folder/],
    ["a missing folder", () => [join(scratch, "nope"), "--issues", issues, "--replay", trace], /is not a folder/],
    ["a folder that is not a repository", () => [issues, "--issues", issues, "--replay", trace], /is not a git repository/],
    ["no --issues", () => [repo, "--replay", trace], /--issues is missing/],
    ["no engine", () => [repo, "--issues", issues], /exactly one of --engine, --model and --replay/],
    ["two engines", () => [repo, "--issues", issues, "--replay", trace, "--engine", "http://127.0.0.1:1"], /exactly one of/],
    ["an engine that is not a URL", () => [repo, "--issues", issues, "--engine", "localhost:8080"], /^batch: --engine needs a llama-server URL such as http:\/\/127\.0\.0\.1:8080, got "localhost:8080"$/m],
    ["a missing model file", () => [repo, "--issues", issues, "--model", join(scratch, "none.gguf")], /does not exist/],
    ["--parallel 0", () => [repo, "--issues", issues, "--replay", trace, "--parallel", "0"], /--parallel needs an integer of at least 1/],
    ["an unknown option", () => [repo, "--issues", issues, "--replay", trace, "--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  for (const [name, args, message] of cases) {
    it(`refuses ${name} with exit 2 and a clear message`, () => {
      const run = batch(args());
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(git(repo, ["for-each-ref", "refs/infinite/"]), "", "nothing was started");
    });
  }

  it("refuses an issue file without a number, starting nothing", () => {
    const bad = join(scratch, "bad-issues");
    mkdirSync(bad);
    writeFileSync(join(bad, "a.md"), "# No number\n\nbody\n");
    const run = batch([repo, "--issues", bad, "--replay", trace]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /a\.md has no "number:" in its front matter/);
    assert.equal(git(repo, ["for-each-ref", "refs/infinite/"]), "");
  });
});

describe("batch: 8 issues, 4 at a time", needsVsCode, () => {
  let scratch: string;
  let repo: string;
  let issues: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "itu-batch-8-"));
    repo = fixtureRepo(join(scratch, "repo"));
    issues = issueFolder(join(scratch, "issues"), [1, 2, 3, 4, 5, 6, 7, 8]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("finishes all 8, each on its own branch with the expected tree, and reports them as JSON", () => {
    const run = batch([repo, "--issues", issues, "--replay", trace, "--parallel", "4", "--json"]);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const summary = JSON.parse(run.stdout.trim()) as { ok: boolean; sessions: BatchRow[] };
    assert.equal(summary.ok, true);
    assert.deepEqual(summary.sessions.map((r) => r.issue), [1, 2, 3, 4, 5, 6, 7, 8]);
    const expected = treeOf(repo, join(root, "test/fixtures/agent-expected"), scratch);
    const branches = new Set<string>();
    for (const row of summary.sessions) {
      assert.equal(row.reason, "finished", JSON.stringify(row));
      assert.equal(row.steps, 10);
      assert.match(row.branch ?? "", new RegExp(`^infinite/\\d{4}-\\d\\d-\\d\\d-issue-${row.issue}-`));
      assert.equal(git(repo, ["rev-parse", `${row.branch}^{tree}`]).trim(), expected, `${row.branch} holds the replayed change`);
      branches.add(row.branch!);
    }
    assert.equal(branches.size, 8);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) assert.match(run.stderr, new RegExp(`^#${n} ended: finished after 10 steps$`, "m"), "a progress line per session");
    assert.match(run.stderr, /^#\d step \d+ \(infinite\//m, "progress shows step counts");
    assert.equal(git(repo, ["status", "--porcelain"]), "", "the user's files are untouched");
  });

  it("skips every finished issue on a rerun and prints the table", () => {
    const run = batch([repo, "--issues", issues, "--replay", trace, "--parallel", "4"]);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const lines = run.stdout.trim().split("\n");
    const header = lines.findIndex((l) => /^issue\s+branch\s+steps\s+tokens\s+reason$/.test(l));
    assert.ok(header >= 0, run.stdout);
    const rows = lines.slice(header + 1, header + 9);
    rows.forEach((line, i) => assert.match(line, new RegExp(`^#${i + 1}\\s+infinite/\\S+-issue-${i + 1}-\\S+\\s+10\\s+0\\s+already finished$`)));
    assert.equal(lines[header + 9], "8 issues: 0 finished, 8 already finished, 0 ended otherwise, 0 crashed");
    assert.equal(git(repo, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]).trim().split("\n").length, 8, "no new session");
  });
});

describe("batch: a session killed mid-run", needsVsCode, () => {
  let scratch: string;
  let repo: string;
  let issues: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "itu-batch-kill-"));
    repo = fixtureRepo(join(scratch, "repo"));
    issues = issueFolder(join(scratch, "issues"), [1, 2]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("does not block the other session, and the rerun resumes it to the end", async () => {
    // The replays are slowed down (a pause before each call) so that issue 1 can be killed mid-run.
    const child = spawn(process.execPath, [cli, "batch", repo, "--issues", issues, "--replay", trace, "--parallel", "2", "--json"], { env: { ...process.env, ITU_REPLAY_STEP_MS: "1500" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      const pid = /^#1 started \(pid (\d+)\)$/m.exec(stderr)?.[1];
      if (!killed && pid && /^#1 step [3-8] /m.test(stderr)) {
        killed = true;
        // The whole editor of issue 1 dies: its code-server (own process group, a child of `run`).
        killEditorOf(pid);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.ok(killed, `issue 1 was killed mid-run\n${stderr}`);
    assert.equal(code, 1, `${stdout}\n${stderr}`);
    const first = (JSON.parse(stdout.trim()) as { sessions: BatchRow[] }).sessions;
    assert.equal(first[0]!.reason, "crashed", JSON.stringify(first[0]));
    assert.ok(first[0]!.steps >= 3 && first[0]!.steps < 10, `killed after ${first[0]!.steps} steps`);
    assert.equal(first[1]!.reason, "finished", "the other session went on");

    const rerun = batch([repo, "--issues", issues, "--replay", trace, "--parallel", "2", "--json"]);
    assert.equal(rerun.status, 0, `${rerun.stdout}\n${rerun.stderr}`);
    const second = (JSON.parse(rerun.stdout.trim()) as { sessions: BatchRow[] }).sessions;
    assert.equal(second[0]!.action, "resumed");
    assert.equal(second[0]!.reason, "finished");
    assert.equal(second[0]!.steps, 10);
    assert.equal(second[0]!.branch, first[0]!.branch, "the same session and branch");
    assert.equal(second[1]!.reason, "already finished");
    assert.equal(git(repo, ["rev-parse", `${second[0]!.branch}^{tree}`]).trim(), treeOf(repo, join(root, "test/fixtures/agent-expected"), scratch));
    assert.equal(git(repo, ["for-each-ref", "--format=%(refname)", "refs/infinite/traces/"]).trim().split("\n").length, 2, "no new session");
  });
});
