import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMarkdownIssue } from "../../../extension/core/issues/markdownIssue";
import { branchSlug, taskFromGitHubIssue, taskFromText, taskText } from "../../../extension/core/issues/task";

describe("local Markdown issue files", () => {
  it("takes the first '# ' heading as the title and the rest as the body", () => {
    const task = parseMarkdownIssue("Some preface.\n\n# Fix the greeting\n\nIt should say `Hello, name`.\n\n## Notes\n- keep it ASCII\n", "issues/greeting.md");
    assert.deepEqual(task, { title: "Fix the greeting", body: "Some preface.\n\n\nIt should say `Hello, name`.\n\n## Notes\n- keep it ASCII", source: { kind: "file", path: "issues/greeting.md" } });
  });

  it("reads the issue number from front matter, with CRLF line ends and a BOM", () => {
    const task = parseMarkdownIssue("\uFEFF---\r\nnumber: 12\r\nlabels: bug\r\n---\r\n# Crash on empty input ##\r\nSteps: run it.\r\n", "bug.md");
    assert.equal(task.title, "Crash on empty input");
    assert.equal(task.body, "Steps: run it.");
    assert.equal(task.issueNumber, 12);
  });

  it("uses a front matter title when there is no heading", () => {
    const task = parseMarkdownIssue('---\ntitle: "Speed up startup"\nnumber: "#7"\n---\nStartup takes 3 s.\n', "s.md");
    assert.equal(task.title, "Speed up startup");
    assert.equal(task.issueNumber, 7);
    assert.equal(task.body, "Startup takes 3 s.");
  });

  it("refuses a file without a title, a bad number or unclosed front matter, naming the file", () => {
    assert.throws(() => parseMarkdownIssue("just text\n## not a title\n", "a.md"), /a\.md has no title: start it with a "# Title" line/);
    assert.throws(() => parseMarkdownIssue("---\nnumber: twelve\n---\n# T\n", "b.md"), /b\.md: "number" in the front matter must be a positive whole number, not "twelve"/);
    assert.throws(() => parseMarkdownIssue("---\nnumber: 1\n# T\n", "c.md"), /c\.md: the front matter opened by "---" on line 1 is never closed/);
  });
});

describe("tasks and branch slugs", () => {
  it("names an issue's branch issue-<n>-<slug>, ASCII and bounded", () => {
    const task = taskFromGitHubIssue({ number: 43, title: "Support names with émoji in greet() — ünïcode", body: "b", url: "u" }, "o", "r");
    assert.equal(branchSlug(task), "issue-43-support-names-with-emoji-in-greet");
    const long = { title: "x".repeat(300), body: "", issueNumber: 123456, source: { kind: "text" } } as const;
    const slug = branchSlug(long);
    assert.ok(slug.length <= 60 && /^issue-123456-x+$/.test(slug), slug);
    assert.equal(branchSlug({ title: "日本語だけ", body: "", source: { kind: "text" } }), "session");
  });

  it("turns an issue into the task text: title with its number, then the body", () => {
    const task = taskFromGitHubIssue({ number: 42, title: "Greeting drops the comma", body: "  It says Hello Ada.\n", url: "u" }, "o", "r");
    assert.equal(taskText(task), "Greeting drops the comma (issue #42)\n\nIt says Hello Ada.");
  });

  it("turns selected text into a task whose first line is the title, and refuses empty text", () => {
    const task = taskFromText("\n## Rename foo to bar\nin all of src/\n");
    assert.equal(task.title, "Rename foo to bar");
    assert.equal(task.body, "## Rename foo to bar\nin all of src/");
    assert.equal(taskText(task), "Rename foo to bar\n\n## Rename foo to bar\nin all of src/");
    assert.throws(() => taskFromText(" \n\t"), /The selected text is empty/);
  });
});
