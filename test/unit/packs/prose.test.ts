// The prose pack's pure parts: sections by heading path with line ranges and word counts, the
// section edits and their stale-edit guard, and the Markdown structure guard.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { guardMarkdown } from "../../../extension/core/syntax/markdownGuard";
import { deleteSection, insertSection, locateSection, moveSection, outlineText, replaceSection } from "../../../extension/core/tools/prose/edits";
import { parseMarkdown } from "../../../extension/core/tools/prose/markdown";
import { findSections, sectionsOf } from "../../../extension/core/tools/prose/sections";

const article = [
  "---",
  "title: Tides",
  "---",
  "# Tides",
  "",
  "Intro words here.",
  "",
  "## Motivation",
  "",
  "Why tides matter to sailors.",
  "",
  "```sh",
  "# not a heading",
  "```",
  "",
  "## Method",
  "",
  "We measured.",
  "",
  "### Motivation",
  "",
  "A second motivation, under Method.",
  "",
  "Setext Heading",
  "--------------",
  "",
  "Last words.",
  "",
].join("\n");

describe("Markdown sections", () => {
  const sections = sectionsOf(parseMarkdown(article));
  it("finds headings with paths, ranges and word counts, skipping front matter and fences", () => {
    assert.deepEqual(
      sections.map((s) => [s.path.join("/"), s.startLine, s.endLine, s.words]),
      [
        ["Tides", 4, 27, 26],
        ["Tides/Motivation", 8, 15, 9],
        ["Tides/Method", 16, 23, 8],
        ["Tides/Method/Motivation", 20, 23, 5],
        ["Tides/Setext Heading", 24, 27, 2],
      ],
    );
  });
  it("matches a heading path by its end, and reports a path that matches twice", () => {
    assert.equal(findSections(sections, "Method/Motivation").length, 1);
    assert.equal(findSections(sections, "motivation").length, 2);
    const twice = locateSection("a.md", article, "Motivation");
    assert.ok(!twice.ok);
    assert.match(twice.error, /"Motivation" matches 2 sections in a\.md: Tides\/Motivation \(line 8\), Tides\/Method\/Motivation \(line 20\); give more of the heading path/);
  });
  it("explains a document without headings", () => {
    const outline = outlineText("notes.md", "just text\nand more\n");
    assert.equal(outline.sections.length, 0);
    assert.match(outline.text, /notes\.md has no headings \(2 lines\), so it has no sections yet/);
    const edit = replaceSection("notes.md", "just text\n", "Intro", "just", "x");
    assert.ok(!edit.ok && /has no headings/.test(edit.error));
  });
});

describe("section edits", () => {
  it("replaces a section's own text and keeps its subsections", () => {
    const edit = replaceSection("a.md", article, "Tides/Method", "We measured", "We measured twice.\n");
    assert.ok(edit.ok, !edit.ok ? edit.error : "");
    const lines = edit.text.split("\n");
    assert.deepEqual(lines.slice(15, 20), ["## Method", "", "We measured twice.", "", "### Motivation"]);
  });
  it("refuses a stale edit: the first line no longer matches", () => {
    const edit = replaceSection("a.md", article, "Tides/Method", "We guessed", "x");
    assert.ok(!edit.ok);
    assert.match(edit.error, /first_line does not match section "Tides\/Method": line 18 reads "We measured\.", not "We guessed"/);
  });
  it("inserts a section after another's subsections, at its level", () => {
    const edit = insertSection("a.md", article, { heading: "Method", position: "after", quoted: "We measured", title: "Results", body: "It worked." });
    assert.ok(edit.ok, !edit.ok ? edit.error : "");
    const results = sectionsOf(parseMarkdown(edit.text)).find((s) => s.title === "Results")!;
    assert.equal(results.level, 2);
    assert.equal(results.startLine, 24);
    assert.deepEqual(edit.text.split("\n").slice(22, 27), ["", "## Results", "", "It worked.", ""]);
  });
  it("inserts at the end or the top of a document without headings", () => {
    const end = insertSection("n.md", "- point one\n- point two\n", { position: "after", title: "Summary", level: 1, body: "All of it." });
    assert.ok(end.ok && end.text === "- point one\n- point two\n\n# Summary\n\nAll of it.\n");
    const top = insertSection("n.md", "- point one\n", { position: "before", title: "Intro", level: 2 });
    assert.ok(top.ok && top.text === "## Intro\n\n- point one\n");
  });
  it("moves a section with its subsections, and never into itself", () => {
    const moved = moveSection("a.md", article, "Tides/Method", "We measured", "Tides/Motivation", "before");
    assert.ok(moved.ok, !moved.ok ? moved.error : "");
    assert.deepEqual(sectionsOf(parseMarkdown(moved.text)).map((s) => s.path.join("/")), ["Tides", "Tides/Method", "Tides/Method/Motivation", "Tides/Motivation", "Tides/Setext Heading"]);
    const into = moveSection("a.md", article, "Tides/Method", "We measured", "Method/Motivation", "after");
    assert.ok(!into.ok && /cannot move into itself/.test(into.error));
  });
  it("deletes a section with its subsections", () => {
    const edit = deleteSection("a.md", article, "Tides/Method", "We measured");
    assert.ok(edit.ok);
    assert.deepEqual(sectionsOf(parseMarkdown(edit.text)).map((s) => s.title), ["Tides", "Motivation", "Setext Heading"]);
  });
});

describe("the Markdown guard", () => {
  it("refuses an edit that leaves a fenced block open", () => {
    const broken = article.replace("```\n\n## Method", "\n\n## Method");
    const verdict = guardMarkdown(article, broken);
    assert.ok(!verdict.ok);
    assert.match(verdict.report, /line 12: the fenced block opened on line 12 is never closed/);
  });
  it("refuses an edit that leaves the front matter open", () => {
    const verdict = guardMarkdown(article, article.replace("title: Tides\n---\n", "title: Tides\n"));
    assert.ok(!verdict.ok && /front matter opened by `---` on line 1 is never closed/.test(verdict.report));
  });
  it("lets ordinary edits and already-broken files through", () => {
    assert.deepEqual(guardMarkdown(article, article.replace("Last words.", "Final words.")), { ok: true });
    const open = "```\ncode\n";
    assert.deepEqual(guardMarkdown(open, open + "more code\n"), { ok: true });
  });
});
