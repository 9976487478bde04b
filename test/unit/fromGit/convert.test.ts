// from-git's converter on real repositories: the calls it makes for each kind of change, applied
// with the tools' line arithmetic, give back the commit's exact bytes; what cannot be said is
// reported; bad input is refused with a clear message and the repository is never changed.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { convertRange, standaloneCalls } from "../../../extension/core/fromGit/convertRange";
import { FromGitError, gitReader } from "../../../extension/core/fromGit/history";
import { defaultConvertLimits, type ConvertLimits } from "../../../extension/core/fromGit/types";
import { createSyntaxService } from "../../../extension/core/syntax/service";
import { splitText } from "../../../extension/core/tools/text";
import { applyCalls } from "./applyCalls";
import { git, Repo } from "./gitFixture";

const syntax = createSyntaxService({ grammarsDir: join(process.cwd(), "grammars"), runtimeWasm: join(process.cwd(), "dist", "web-tree-sitter.wasm") });
const guard = async (path: string, before: string, after: string) => (await syntax.guard(path, before, after, () => true)).ok;

let scratch: string;
before(() => (scratch = mkdtempSync(join(tmpdir(), "itu-from-git-"))));
after(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
const newRepo = () => new Repo(join(scratch, `repo-${++n}`));

/** The text files of a commit, as the tools see them. */
function filesAt(repo: Repo, rev: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const path of git(repo.dir, ["ls-tree", "-r", "-z", "--name-only", rev]).split("\0").filter(Boolean)) {
    files.set(path, git(repo.dir, ["show", `${rev}:${path}`]));
  }
  return files;
}

async function convert(repo: Repo, range: string, limits: ConvertLimits = defaultConvertLimits) {
  return convertRange(gitReader(repo.dir), { range, guard, limits });
}

const numbered = (count: number, prefix = "line") => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

describe("from-git conversion", () => {
  it("turns edits, a rename with an edit, a deletion and a creation into calls that rebuild the commit exactly", async () => {
    const repo = newRepo();
    const ts = numbered(40).map((l) => `export const v${l.split(" ")[1]} = "${l}";`);
    repo.write("src/a.ts", ts.join("\n") + "\n").write("docs/b.md", "# B\n\ntext\nmore\n").write("old.txt", "bye\n");
    const base = repo.commit("Start");
    const edited = [...ts];
    edited[2] = `export const v3 = "changed";`;
    edited.splice(20, 2);
    edited.splice(35, 0, `export const added = 1;`, `export const added2 = 2;`);
    repo.write("src/a.ts", edited.join("\n") + "\n").remove("docs/b.md").write("guide/b.md", "# B\n\ntext\nmore\nand a new line\n").remove("old.txt").write("new.py", "def f():\n    return 1\n");
    const head = repo.commit("Edit a, move b, drop old, add new\n\nThe body of the message.");
    const range = await convert(repo, `${base}..${head}`);
    assert.equal(range.commits.length, 1);
    const [commit] = range.commits;
    assert.deepEqual(commit!.skipped, []);
    assert.deepEqual(commit!.problems, []);
    const tools = commit!.calls.map((c) => c.tool);
    assert.ok(tools.includes("rename_file") && tools.includes("delete_file") && tools.includes("create_file"), tools.join(","));
    // Every edit is preceded by a read of the region it touches.
    commit!.calls.forEach((call, i) => {
      if (call.tool === "replace_range" || call.tool === "insert_lines") {
        const read = commit!.calls[i - 1]!;
        assert.equal(read.tool, "open_range");
        assert.equal(read.args.path, call.args.path);
        const at = Number(call.args.start ?? Number(call.args.after) + 1);
        assert.ok(Number(read.args.start) <= at && at <= Number(read.args.end) + 1, `${JSON.stringify(read.args)} covers ${at}`);
      }
    });
    const rename = commit!.calls.find((c) => c.tool === "rename_file")!;
    assert.deepEqual(rename.args, { path: "docs/b.md", to: "guide/b.md" });
    assert.deepEqual(commit!.calls.at(-1), { tool: "notes", args: { action: "append" }, body: "Edit a, move b, drop old, add new\n\nThe body of the message." });
    assert.equal(standaloneCalls(commit!).at(-1)!.tool, "finish");
    const files = filesAt(repo, base);
    applyCalls(files, commit!.calls);
    assert.deepEqual(files, filesAt(repo, head));
  });

  it("joins hunks when an intermediate state would not parse, so the syntax guard lets every step through", async () => {
    const repo = newRepo();
    const body = ["export function f(x: number): number {", "  let y = x;", "  y += 1;", "  y *= 2;", "  y -= 3;", "  return y;", "}"];
    repo.write("f.ts", body.join("\n") + "\n");
    const base = repo.commit("f");
    const wrapped = [body[0]!, body[1]!, "  if (x > 0) {", "  y += 1;", "  y *= 2;", "  y -= 3;", "  }", body[5]!, body[6]!];
    repo.write("f.ts", wrapped.join("\n") + "\n");
    const head = repo.commit("Wrap the arithmetic in an if");
    const [commit] = (await convert(repo, `${base}..${head}`)).commits;
    assert.equal(commit!.guardJoins, 1, "the closing brace alone would not parse; it is joined with the opening one");
    // Every intermediate state passes the guard, and the end state is the commit's.
    let text = filesAt(repo, base).get("f.ts")!;
    for (const call of commit!.calls) {
      const files = new Map([["f.ts", text]]);
      applyCalls(files, [call]);
      const next = files.get("f.ts")!;
      assert.ok(await guard("f.ts", text, next), `${call.tool} ${JSON.stringify(call.args)} passes the guard`);
      text = next;
    }
    assert.equal(text, wrapped.join("\n") + "\n");
  });

  it("keeps CRLF line endings with line edits, and rewrites a mixed-line-ending file whole", async () => {
    const repo = newRepo();
    repo.write("crlf.txt", "one\r\ntwo\r\nthree\r\n").write("mixed.txt", "a\r\nb\nc\r\n");
    const base = repo.commit("eol");
    repo.write("crlf.txt", "one\r\n2\r\nthree\r\nfour\r\n").write("mixed.txt", "a\r\nB\nc\r\n");
    const head = repo.commit("edit both");
    const [commit] = (await convert(repo, `${base}..${head}`)).commits;
    assert.deepEqual(commit!.rewritten, ["mixed.txt"]);
    assert.ok(commit!.calls.some((c) => c.tool === "replace_range" && c.args.path === "crlf.txt"));
    const files = filesAt(repo, base);
    applyCalls(files, commit!.calls);
    assert.equal(files.get("crlf.txt"), "one\r\n2\r\nthree\r\nfour\r\n");
    assert.equal(files.get("mixed.txt"), "a\r\nB\nc\r\n");
  });

  it("skips binary files, links, non-UTF-8 and oversized files with a reason each, and reports what it cannot express", async () => {
    const repo = newRepo();
    repo.write("keep.txt", "x\n");
    const base = repo.commit("base");
    repo
      .write("image.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))
      .link("link.txt", "keep.txt")
      .write("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]))
      .write("big.txt", "y".repeat(5000) + "\n")
      .write("tool.sh", "#!/bin/sh\necho hi\n")
      .write("no-newline.txt", "last line")
      .write("keep.txt", "x\ny\n")
      .executable("tool.sh");
    const head = repo.commit("everything at once");
    const [commit] = (await convert(repo, `${base}..${head}`, { maxFileBytes: 1000, maxFiles: 1000 })).commits;
    const reasons = Object.fromEntries(commit!.skipped.map((s) => [s.path, s.reason]));
    assert.match(reasons["image.png"]!, /binary/);
    assert.match(reasons["link.txt"]!, /symbolic link/);
    assert.match(reasons["latin1.txt"]!, /not valid UTF-8/);
    assert.match(reasons["big.txt"]!, /over the 1000-byte limit/);
    assert.match(reasons["tool.sh"]!, /mode 100755.*content is converted/);
    assert.deepEqual(commit!.problems, []);
    assert.deepEqual(commit!.calls.find((c) => c.args.path === "no-newline.txt")?.args, { path: "no-newline.txt", final_newline: false });
    // The text the tools can write is still converted.
    const created = commit!.calls.filter((c) => c.tool === "create_file").map((c) => c.args.path);
    assert.deepEqual(created.sort(), ["no-newline.txt", "tool.sh"]);
    assert.ok(commit!.calls.some((c) => c.tool === "insert_lines" && c.args.path === "keep.txt"));
  });

  it("reports a commit touching 10,000 files instead of converting it", async () => {
    const repo = newRepo();
    const base = repo.commit("empty");
    for (let i = 0; i < 10_000; i++) repo.write(`many/f${i}.txt`, `${i}\n`);
    const head = repo.commit("ten thousand files");
    // Counted, not timed: a wall-clock bound flaked on a loaded CI machine, while the claim is
    // that the limit applies before any file's content is read.
    const reader = gitReader(repo.dir);
    let blobsRead = 0;
    const counting = { run: reader.run.bind(reader), blob: (sha: string) => (blobsRead++, reader.blob(sha)) };
    const [commit] = (await convertRange(counting, { range: `${base}..${head}`, guard, limits: defaultConvertLimits })).commits;
    assert.deepEqual(commit!.calls, []);
    assert.match(commit!.problems[0]!, /touches 10000 files, more than the limit of 1000/);
    assert.equal(blobsRead, 0, "the limit is applied before any file is read");
  });

  it("leaves merges out with a message, converts each other commit from its own parent, and notes a dirty worktree without touching it", async () => {
    const repo = newRepo();
    repo.write("a.txt", "1\n2\n3\n");
    const base = repo.commit("base");
    git(repo.dir, ["checkout", "-q", "-b", "side"]);
    repo.write("b.txt", "side\n");
    const side = repo.commit("side work");
    git(repo.dir, ["checkout", "-q", "main"]);
    repo.write("a.txt", "1\ntwo\n3\n");
    const mainWork = repo.commit("main work");
    git(repo.dir, ["merge", "-q", "--no-edit", "side"]);
    repo.write("a.txt", "uncommitted\n");
    const before = repo.fingerprint();
    const range = await convert(repo, `${base}..main`);
    assert.equal(range.merges.length, 1);
    assert.equal(range.linear, false);
    assert.deepEqual(range.commits.map((c) => [c.sha, c.parent]).sort(), [[side, base], [mainWork, base]].sort());
    assert.deepEqual(range.dirty, ["a.txt"]);
    assert.equal(repo.fingerprint(), before, "the repository is exactly as it was");
  });

  it("refuses a shallow clone, a missing repository and a range that names no commit, with a clear message", async () => {
    const repo = newRepo();
    repo.write("a.txt", "1\n");
    repo.commit("one");
    repo.write("a.txt", "2\n");
    repo.commit("two");
    const shallow = join(scratch, `shallow-${n}`);
    git(scratch, ["clone", "-q", "--depth", "1", `file://${repo.dir}`, shallow]);
    await assert.rejects(convertRange(gitReader(shallow), { range: "HEAD", guard }), (e: Error) => e instanceof FromGitError && /shallow clone.*git fetch --unshallow/.test(e.message));
    await assert.rejects(convertRange(gitReader(join(scratch, "nowhere")), { range: "HEAD", guard }), /not a git repository/);
    await assert.rejects(convert(repo, "nosuch..HEAD"), /"nosuch" is not a commit/);
  });

  it("gives a root commit no parent (it replays from an empty commit)", async () => {
    const repo = newRepo();
    repo.write("first.txt", "hello\n");
    const root = repo.commit("root");
    const [commit] = (await convert(repo, root)).commits;
    assert.equal(commit!.parent, null);
    const files = new Map<string, string>();
    applyCalls(files, commit!.calls);
    assert.equal(files.get("first.txt"), "hello\n");
    assert.equal(splitText(files.get("first.txt")!).lines.length, 1);
  });
});
