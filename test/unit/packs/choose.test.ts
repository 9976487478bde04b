// When the packs are offered: from the task's words and the workspace's files, unless a setting forces them.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findTool, toolDefinitions } from "../../../extension/core/tools/definitions";
import { choosePacks, toolsWithPacks } from "../../../extension/core/tools/packs";

const auto = { prose: "auto", cad: "auto" } as const;

describe("choosing tool packs", () => {
  it("reads the task", () => {
    assert.deepEqual(choosePacks({ task: "Write an article about tides", files: ["src/a.ts"], settings: auto }), ["prose"]);
    assert.deepEqual(choosePacks({ task: "Model a wall bracket in OpenSCAD", files: ["src/a.ts"], settings: auto }), ["cad"]);
    assert.deepEqual(choosePacks({ task: "Fix the off-by-one in parse()", files: ["src/a.ts", "README.md"], settings: auto }), []);
  });
  it("reads the workspace's files", () => {
    assert.deepEqual(choosePacks({ task: "Tidy up", files: ["book/ch1.md", "book/ch2.md", "book/ch3.md", "build.sh"], settings: auto }), ["prose"]);
    assert.deepEqual(choosePacks({ task: "Tidy up", files: ["src/a.ts", "parts/gear.scad"], settings: auto }), ["cad"]);
  });
  it("lets the settings force a pack on or off", () => {
    assert.deepEqual(choosePacks({ task: "Fix parse()", files: [], settings: { prose: "on", cad: "on" } }), ["prose", "cad"]);
    assert.deepEqual(choosePacks({ task: "Write an article in OpenSCAD", files: [], settings: { prose: "off", cad: "off" } }), []);
  });
  it("adds the packs' tools before finish, and the recorder knows their effects", () => {
    const names = toolsWithPacks(toolDefinitions, ["prose", "cad"]).map((t) => t.name);
    assert.equal(names[names.length - 1], "finish");
    assert.ok(names.includes("replace_section") && names.includes("render_view"));
    assert.equal(new Set(names).size, names.length);
    assert.equal(findTool("move_section")?.effect, "writes");
    assert.equal(findTool("render_view")?.effect, "runs");
  });
});
