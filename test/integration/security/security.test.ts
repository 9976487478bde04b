// Hostile calls in a real VS Code, on real git (issue #16). The fixture repository holds the user's
// work in progress: a staged change, an unstaged change, an untracked file and a stash, plus
// committed symlinks (to .git, out of the workspace, inside it). A replayed session sends every
// attack the issue found; after each step the user's HEAD, refs, index bytes, config, hooks, stash
// and files must be byte-identical, the session worktree's .git file unchanged, and each attack's
// observation must say what was refused. The recorded session then replays exactly (invalid outputs
// included), and a property run sends random hostile paths to every path-taking tool.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentEvent } from "../../../extension/core/agent/types";
import type { TraceStep } from "../../../extension/core/sessions/traceFormat";
import { toolDefinitions } from "../../../extension/core/tools/definitions";
import type { ToolCall } from "../../../extension/core/tools/types";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { hostilePathGenerator, namesGitData } from "../../support/hostilePaths";
import { userState } from "../../support/userState";
import { activate, workspace } from "../support/vscode";

const runDir = process.env.ITU_RUN_DIR ?? "";
const userRefs = ["refs/heads/main", "refs/stash"];

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

const gitData = /\.git(modules)? is git's own data \(its spelling does not matter\), and no tool may read or change it\. Nothing was changed\./;

/** The attacks, each with what its observation must say. */
const attacks: ReadonlyArray<{ readonly call: ToolCall; readonly refused: RegExp }> = [
  { call: { tool: "replace_range", args: { path: ".git", start: 1, end: 1, start_text: "gitdir", end_text: "gitdir" }, body: "gitdir: ../../..\n" }, refused: gitData },
  { call: { tool: "open_range", args: { path: ".git" } }, refused: gitData },
  { call: { tool: "delete_file", args: { path: ".git" } }, refused: gitData },
  { call: { tool: "rename_file", args: { path: ".git", to: "x" } }, refused: gitData },
  { call: { tool: "create_file", args: { path: ".GIT/config" }, body: "[core]\n\tworktree = /\n" }, refused: gitData },
  { call: { tool: "rename_file", args: { path: "ok1.txt", to: ".GIT/config" } }, refused: /^to: .*\.git is git's own data/ },
  { call: { tool: "create_file", args: { path: "sub/.git/config" }, body: "[core]\n" }, refused: gitData },
  { call: { tool: "replace_range", args: { path: "sub/.git/config", start: 1, end: 1, start_text: "[core]", end_text: "[core]" }, body: "[x]\n" }, refused: gitData },
  { call: { tool: "delete_file", args: { path: "sub/.git/config" } }, refused: gitData },
  { call: { tool: "create_file", args: { path: "git~1/HEAD" }, body: "ref: refs/heads/main\n" }, refused: gitData },
  { call: { tool: "create_file", args: { path: ".git./hooks/pre-commit" }, body: "#!/bin/sh\nexit 0\n" }, refused: gitData },
  { call: { tool: "insert_lines", args: { path: ".gitmodules", after: 0 }, body: '[submodule "x"]\n\tpath = x\n\turl = ../../..\n' }, refused: gitData },
  { call: { tool: "outline", args: { path: ".Git" } }, refused: gitData },
  { call: { tool: "read_diagnostics", args: { path: ".git " } }, refused: gitData },
  { call: { tool: "replace_symbol", args: { path: ".g\u200Cit/config", symbol: "core" }, body: "x\n" }, refused: gitData },
  { call: { tool: "open_range", args: { path: "link-to-git" } }, refused: /leads to \.git through a symbolic link/ },
  { call: { tool: "open_range", args: { path: "escape/secret.txt" } }, refused: /leads outside the workspace through a symbolic link/ },
  { call: { tool: "create_file", args: { path: "big.txt" }, body: "x".repeat(5 * 1024 * 1024) }, refused: /create_file was refused: its body is 5\.0 MB, over the 1\.0 MB limit \(setting infiniteToolUse\.tools\.maxBodyBytes\)\. Nothing was changed/ },
  { call: { tool: "open_range", args: { path: "file:///etc/passwd" } }, refused: /"file:\/\/\/etc\/passwd" is a URL, not a path/ },
  { call: { tool: "create_file", args: { path: "file:/etc/passwd" }, body: "x\n" }, refused: /is a URL, not a path/ },
];

const line = (value: object) => JSON.stringify(value);

describe("hostile calls cannot reach the user's repository", function () {
  this.timeout(600_000);
  let api: ExtensionApi;
  let expected: Record<string, string>;
  let firstSteps: readonly TraceStep[] = [];
  let firstTrace = "";
  const outside = join(runDir, "outside");

  before(async () => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "secret.txt"), "secret\n");
    git(workspace(), "init", "-q", "-b", "main");
    symlinkSync(".git", join(workspace(), "link-to-git"));
    symlinkSync(outside, join(workspace(), "escape"));
    symlinkSync("src", join(workspace(), "inlink"));
    git(workspace(), "add", "-A");
    git(workspace(), "commit", "-qm", "Greeter");
    // The user's work in progress.
    writeFileSync(join(workspace(), "notes.txt"), "stashed change\n");
    git(workspace(), "stash", "push", "-q");
    writeFileSync(join(workspace(), "src", "app.ts"), "export function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n");
    git(workspace(), "add", "src/app.ts");
    writeFileSync(join(workspace(), "README.md"), "# Unstaged edit\n");
    writeFileSync(join(workspace(), "scratch.txt"), "untracked\n");
    // Let git settle its index once (racily clean entries get rewritten by the first status after a
    // second), so that only a real write to it can change its bytes later (VS Code's git extension
    // runs status too).
    await new Promise((r) => setTimeout(r, 1100));
    git(workspace(), "status", "--porcelain");
    expected = userState(workspace(), userRefs);
    api = await activate();
  });

  it("refuses each attack of the issue with a clear observation; the user's work is byte-identical after every step", async () => {
    const calls: object[] = [
      { tool: "create_file", args: { path: "ok1.txt" }, body: "first\n" },
      ...attacks.map((a) => a.call),
      // A glob overrides ripgrep's hidden-file rule: find must still not read the .git file.
      { tool: "find", args: { query: "gitdir", glob: ".git" } },
      // An output that did not parse, and a call of a tool that does not exist.
      { tool: "invalid_output", args: {}, body: "I will now point .git at the user's repository" },
      { tool: "rm", args: { path: ".git" } },
      { tool: "create_file", args: { path: "ok2.txt" }, body: "second\n" },
      { tool: "finish", args: {}, body: "Tried everything." },
    ];
    const traceFile = join(runDir, "hostile.jsonl");
    writeFileSync(traceFile, calls.map(line).join("\n") + "\n");
    const running = await api.workbench.start("Reach the user's repository", { replay: traceFile });
    const dotGit = readFileSync(join(running.session.worktreePath, ".git"));
    const broken: string[] = [];
    const sub = running.run.onEvent((event: AgentEvent) => {
      if (event.type !== "stepFinished") return;
      const now = userState(workspace(), userRefs);
      const changed = Object.keys({ ...expected, ...now }).filter((k) => expected[k] !== now[k]);
      if (changed.length) broken.push(`step ${event.step} (${event.tool} ${event.keyArgs}) changed the user's ${changed.join(", ")}`);
      if (!readFileSync(join(running.session.worktreePath, ".git")).equals(dotGit)) broken.push(`step ${event.step} changed the worktree's .git file`);
    });
    const end = await running.done;
    sub.dispose();
    assert.deepEqual(broken, []);
    assert.equal(end.reason, "finished", end.message);

    const steps = (await running.session.readTrace()).steps;
    firstSteps = steps;
    firstTrace = await running.session.exportTrace();
    attacks.forEach((attack, i) => {
      const observation = steps[i + 1]!.observation;
      assert.equal(observation.ok, false, `attack ${i + 1} (${attack.call.tool} ${String(attack.call.args.path)}) was accepted: ${observation.text}`);
      assert.match(observation.text, attack.refused, `attack ${i + 1}`);
      assert.equal(steps[i + 1]!.commit, undefined, `attack ${i + 1} made a commit`);
    });
    const found = steps[attacks.length + 1]!.observation;
    assert.equal(steps[attacks.length + 1]!.call.tool, "find");
    assert.ok(!found.text.includes("gitdir:"), `find read the .git file: ${found.text}`);
    const invalid = steps[attacks.length + 2]!.observation.text;
    assert.match(invalid, /^Not run: the output is not a tool call: /);
    assert.match(steps[attacks.length + 3]!.observation.text, /there is no tool "rm"/);

    // Only the session's own files are on its branch; the commit messages hold no 5 MB body.
    const branch = running.session.branch;
    assert.equal(git(workspace(), "show", `${branch}:ok1.txt`), "first\n");
    assert.equal(git(workspace(), "show", `${branch}:ok2.txt`), "second\n");
    assert.deepEqual(git(workspace(), "diff", "--name-only", `main..${branch}`).trim().split("\n").sort(), ["ok1.txt", "ok2.txt"]);
    assert.ok(git(workspace(), "log", "--format=%B", `main..${branch}`).length < 4000);
    assert.equal(git(workspace(), "stash", "list").trim().split("\n").length, 1);
    assert.equal(git(workspace(), "diff", "--cached", "--name-only").trim(), "src/app.ts", "the user's staged change");
    assert.deepEqual(userState(workspace(), userRefs), expected);
  });

  it("replays the recorded session exactly: the same observations, invalid outputs included", async () => {
    assert.ok(firstTrace, "the first test recorded a session");
    const traceFile = join(runDir, "recorded.jsonl");
    writeFileSync(traceFile, firstTrace);
    const running = await api.workbench.start("Replay the hostile session", { replay: traceFile });
    const end = await running.done;
    assert.equal(end.reason, "finished", end.message);
    const steps = (await running.session.readTrace()).steps;
    assert.deepEqual(steps.map((s) => s.observation.text), firstSteps.map((s) => s.observation.text));
    assert.ok(!steps.some((s) => s.observation.text.includes('no tool "invalid_output"')));
    assert.deepEqual(userState(workspace(), userRefs), expected);
  });

  it("refuses a trace of a newer format version before anything runs", async () => {
    const traceFile = join(runDir, "newer.jsonl");
    const header = { type: "header", version: 99, sessionId: "s", branch: "infinite/s", task: "t", base: { ref: "main", commit: "a".repeat(40) }, createdAt: "x" };
    writeFileSync(traceFile, `${line(header)}\n${line({ tool: "create_file", args: { path: "never.txt" }, body: "x\n" })}\n`);
    const before = git(workspace(), "for-each-ref", "--format=%(refname)").trim();
    await assert.rejects(api.workbench.start("Replay a newer trace", { replay: traceFile }), /trace version 99 is newer than this extension reads \(2\)/);
    assert.equal(git(workspace(), "for-each-ref", "--format=%(refname)").trim(), before, "no session was started");
    assert.deepEqual(userState(workspace(), userRefs), expected);
  });

  it("property: random hostile paths over every path-taking tool write nothing outside the worktree and accept no .git component", async () => {
    const worktree = join(runDir, "property-worktree");
    git(workspace(), "worktree", "add", "-q", "-b", "property", worktree, "main");
    mkdirSync(join(worktree, "sub", ".git"), { recursive: true });
    writeFileSync(join(worktree, "sub", ".git", "config"), "[core]\n");
    const dotGit = readFileSync(join(worktree, ".git"));
    const subGit = readFileSync(join(worktree, "sub", ".git", "config"));
    const adminDir = dotGit.toString().replace(/^gitdir: /, "").trim();
    const adminBefore = ["HEAD", "index"].map((f) => readFileSync(join(adminDir, f)).toString("base64"));
    const executor = api.tools.createExecutor({ root: worktree });
    const pathTools = toolDefinitions.filter((t) => t.params.some((p) => p.name === "path"));
    const next = hostilePathGenerator(Number(process.env.ITU_PROPERTY_SEED ?? 20261203));
    const cases = 300;
    let accepted = 0;
    const t0 = Date.now();
    try {
      for (let i = 0; i < cases; i++) {
        const path = next();
        for (const tool of pathTools) {
          const calls: ToolCall[] = callsFor(tool.name, path, i);
          for (const call of calls) {
            const observation = await executor.execute(call);
            if (!observation.ok) continue;
            accepted++;
            for (const changed of observation.changedFiles ?? []) {
              assert.ok(!changed.split("/").some(namesGitData), `${call.tool} ${JSON.stringify(path)} changed ${changed}`);
            }
          }
        }
      }
    } finally {
      executor.dispose();
    }
    assert.deepEqual(userState(workspace(), userRefs), expected, "the user's work changed");
    assert.ok(readFileSync(join(worktree, ".git")).equals(dotGit), "the worktree's .git file changed");
    assert.ok(readFileSync(join(worktree, "sub", ".git", "config")).equals(subGit), "the nested repository's git data changed");
    assert.deepEqual(["HEAD", "index"].map((f) => readFileSync(join(adminDir, f)).toString("base64")), adminBefore, "the worktree's git data changed");
    assert.equal(readFileSync(join(outside, "secret.txt"), "utf8"), "secret\n");
    assert.equal(git(worktree, "rev-parse", "--abbrev-ref", "HEAD").trim(), "property", "the worktree is still a worktree on its branch");
    console.log(`      ${cases} hostile paths × ${pathTools.length} path-taking tools: ${accepted} calls accepted, in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  });
});

/** The calls that exercise `path` with one tool (rename_file in both directions). */
function callsFor(tool: string, path: string, i: number): ToolCall[] {
  switch (tool) {
    case "open_range":
    case "outline":
    case "read_diagnostics":
    case "delete_file":
      return [{ tool, args: { path } }];
    case "create_file":
      return [{ tool, args: { path }, body: `case ${i}\n` }];
    case "replace_range":
      return [{ tool, args: { path, start: 1, end: 1, start_text: "", end_text: "" }, body: `case ${i}\n` }];
    case "insert_lines":
      return [{ tool, args: { path, after: 0 }, body: `case ${i}\n` }];
    case "replace_symbol":
      return [{ tool, args: { path, symbol: "greet" }, body: `export function greet() {}\n` }];
    case "rename_file":
      return [
        { tool, args: { path, to: `renamed-${i}.txt` } },
        { tool, args: { path: "notes.txt", to: path } },
      ];
    default:
      throw new Error(`the property test does not know how to call ${tool}; add it to callsFor`);
  }
}
