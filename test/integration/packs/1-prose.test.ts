// A replayed prose session in a real VS Code: bullet points become an article section by section,
// out of order (the end before the middle, the introduction last), with a stale section edit, a
// heading path that matches twice, a document without headings and an edit that would leave a
// code block open all refused. The branch holds the article; the panel shows the section outlines.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../../extension/host/extensionApi";
import { screenshot } from "../support/browser";
import { activate, git, initRepository, setTheme, showPanel, reviewedFiles, traces } from "./support";

const expected = readFileSync(join(process.env.ITU_REPO_ROOT ?? "", "test/fixtures/packs-expected/article.md"), "utf8");

describe("a replayed prose session", function () {
  let api: ExtensionApi;
  let userHead: string;

  before(async () => {
    initRepository();
    userHead = git("rev-parse", "HEAD").trim();
    api = await activate();
    await setTheme("Default Light Modern");
    await showPanel(api);
  });

  after(async () => {
    await vscode.workspace.getConfiguration("workbench").update("colorTheme", undefined, vscode.ConfigurationTarget.Global);
  });

  it("builds the article from bullet points and records every step on its branch", async () => {
    const running = await api.workbench.start("Write an article about tides for sailors from the bullet points in article.md", { replay: join(traces, "prose-article.jsonl") });
    const end = await running.done;
    assert.equal(end.reason, "finished", end.message);
    assert.equal(end.steps, 21);
    const branch = running.session.branch;
    assert.equal(git("show", `${branch}:article.md`), expected);
    // Twelve steps changed the file (the create and eleven section edits); the refused ones did not.
    assert.equal(git("rev-list", "--count", `${userHead}..${branch}`).trim(), "12");

    const trace = (await running.session.readTrace()).steps;
    const at = (step: number) => trace[step - 1]!.observation;
    assert.match(at(3).text, /article\.md has no headings \(3 lines\), so it has no sections yet/);
    assert.equal(at(4).ok, false);
    assert.match(at(4).text, /has no headings/);
    assert.equal(at(10).ok, false, "the stale edit was applied");
    assert.match(at(10).text, /first_line does not match section "Tides for sailors\/Reading a tide table": line 16 reads "Tables list high and low water\.", not "Tables show".*Nothing was changed/s);
    assert.equal(at(13).ok, false, "the edit that opens a code block was applied");
    assert.match(at(13).text, /rolled back: it would break the Markdown syntax of article\.md.*fenced block opened on line \d+ is never closed/s);
    assert.equal(at(16).ok, false);
    assert.match(at(16).text, /"Example" matches 2 sections in article\.md: Tides for sailors\/Why tides matter\/Example \(line 14\), Tides for sailors\/Reading a tide table\/Example \(line 22\)/);
    assert.match(at(20).text, /## Reading a tide table \(lines 5-12, 22 words\)/);
    // The panel's outlines are not part of the trace: it keeps what the model read.
    assert.ok(trace.every((s) => !("attachment" in s.observation)));
    assert.deepEqual(await reviewedFiles(running.session.id), ["article.md"]);
  });

  it("shows the document's sections in the step cards", async () => {
    const view = await api.taskPanel.testWebview({ kind: "describe" });
    assert.equal(view.cards.length, 21);
    const outline = view.cards[19]!.text;
    assert.match(outline, /Sections of article\.md/);
    assert.match(outline, /Tides for sailors 1-20 · 73 words/);
    assert.match(outline, /Reading a tide table 5-12 · 22 words/);
    assert.match(view.cards[2]!.text, /article\.md has no headings yet/);
    await api.taskPanel.testWebview({ kind: "revealCard", step: 17 });
    await screenshot("packs-prose-light");
    await setTheme("Default Dark Modern");
    await screenshot("packs-prose-dark");
    await setTheme("Default Light Modern");
  });

  it("left the user's branch and files as they were", () => {
    assert.equal(git("rev-parse", "HEAD").trim(), userHead);
    assert.equal(git("status", "--porcelain"), "");
  });
});
