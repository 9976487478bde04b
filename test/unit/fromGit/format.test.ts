// The from-git output format and the fidelity report: a written folder passes the schema check (every
// call file is replay input whose calls fit the registry); a broken one names what is wrong; the
// report counts text-only commits and gives every miss its reason.
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { convertRange, writeConvertedRange } from "../../../extension/core/fromGit/convertRange";
import { gitReader } from "../../../extension/core/fromGit/history";
import { fromGitOutputProblems } from "../../../extension/core/fromGit/manifestSchema";
import { fidelityLines, fidelityReport, meetsFidelityBar } from "../../../extension/core/fromGit/report";
import { Repo } from "./gitFixture";

const scratch = mkdtempSync(join(tmpdir(), "itu-from-git-format-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("from-git format", () => {
  it("a written folder passes the schema check, and a broken one is named", async () => {
    const repo = new Repo(join(scratch, "repo"));
    repo.write("a.txt", "1\n2\n");
    const first = repo.commit("one");
    repo.write("a.txt", "1\ntwo\n").write("b.bin", new Uint8Array([0, 1, 2]));
    repo.commit("two");
    repo.write("c.txt", "c\n");
    repo.commit("three");
    const range = await convertRange(gitReader(repo.dir), { range: `${first}..main`, guard: async () => true });
    const out = join(scratch, "out");
    const manifest = writeConvertedRange(out, range, { text: "Do two things", issue: 3 });
    assert.deepEqual(fromGitOutputProblems(out), []);
    assert.equal(manifest.session, "session.jsonl");
    const session = readFileSync(join(out, "session.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { tool: string });
    assert.deepEqual(session.filter((c) => c.tool === "notes" || c.tool === "finish").map((c) => c.tool), ["notes", "finish"]);

    const broken = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { version: number; commits: { calls: unknown }[] };
    broken.version = 2;
    broken.commits[0]!.calls = "many";
    writeFileSync(join(out, "manifest.json"), JSON.stringify(broken));
    writeFileSync(join(out, manifest.commits[1]!.file), '{"tool":"replace_range","args":{"path":"a.txt"}}\n');
    const problems = fromGitOutputProblems(out);
    assert.ok(problems.some((p) => /version is not 1/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /commit 0: calls is not a whole number/.test(p)));
    assert.ok(problems.some((p) => /call 1: replace_range: the parameter "start" is missing/.test(p)));
    assert.ok(problems.some((p) => /does not end with finish/.test(p)));
  });

  it("the report counts text-only commits, lists every miss with its reason, and holds the 99% bar", () => {
    const commit = (sha: string, textOnly: boolean, problems: string[] = []) => ({ sha: sha.repeat(40), parent: null, subject: `commit ${sha}`, file: "", calls: 1, textOnly, skipped: textOnly ? [] : [{ path: "x.png", reason: "binary file" }], problems, guardJoins: 0, rewritten: [] });
    const manifest = { format: "infinite-tool-use/from-git" as const, version: 1, range: "a..b", commits: [commit("a", true), commit("b", true, ["the guard refuses f.ts"]), commit("c", false)], merges: [] };
    const outcome = (sha: string, exact: boolean) => ({ sha: sha.repeat(40), exact, exactOutsideSkipped: true, differences: exact ? [] : ["M f.ts"], ended: "finished: done", steps: 1, ms: 1, ...(exact ? {} : { firstFailure: "step 1 replace_range: rolled back" }) });
    const report = fidelityReport(manifest, [outcome("a", true), outcome("b", false), outcome("c", false)]);
    assert.equal(report.textOnly, 2);
    assert.equal(report.exact, 1);
    assert.equal(report.misses.length, 1);
    assert.match(report.misses[0]!.reason, /converter: the guard refuses f\.ts; replay: step 1 replace_range: rolled back; differs in M f\.ts/);
    assert.equal(meetsFidelityBar(report), false);
    const lines = fidelityLines(report);
    assert.equal(lines[0], "1/2 commits reproduce the exact tree (50.0% of the text-only commits)");
    assert.ok(lines.some((l) => /not text-only/.test(l)));
  });
});
