// The CAD pack's parts that need no editor: OFF geometry facts, the camera and its ASCII depth image,
// the file references a .scad makes OpenSCAD read, OpenSCAD's messages, and (with the real openscad)
// a model that loops forever being killed at the timeout.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { cameraFor } from "../../../extension/core/tools/cad/camera";
import { depthImage } from "../../../extension/core/tools/cad/depth";
import { boundingBox, parseOff, partCount, volume } from "../../../extension/core/tools/cad/mesh";
import { fileReferences, openscadMessages } from "../../../extension/core/tools/cad/scadSource";
import { openscadInstalled, runOpenscad } from "../../../extension/host/tools/cad/openscad";
import { checkReferences } from "../../../extension/host/tools/cad/references";

/** An axis-aligned box as OFF, offset by `at`; vertex indices start at `base`. */
function boxOff(size: [number, number, number], at: [number, number, number] = [0, 0, 0], base = 0): { vertices: string[]; faces: string[] } {
  const vertices: string[] = [];
  for (let i = 0; i < 8; i++) vertices.push([0, 1, 2].map((k) => at[k]! + ((i >> k) & 1) * size[k]!).join(" "));
  const quads = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  return { vertices, faces: quads.map((q) => `4 ${q.map((v) => v + base).join(" ")}`) };
}

function off(...parts: { vertices: string[]; faces: string[] }[]): string {
  const vertices = parts.flatMap((p) => p.vertices);
  const faces = parts.flatMap((p) => p.faces);
  return `OFF ${vertices.length} ${faces.length} 0\n${vertices.join("\n")}\n${faces.join("\n")}\n`;
}

describe("geometry facts from OFF", () => {
  const mesh = parseOff(off(boxOff([10, 20, 5]), boxOff([2, 2, 2], [20, 0, 0], 8)));
  it("bounding box, volume and parts", () => {
    assert.deepEqual(boundingBox(mesh), { min: [0, 0, 0], max: [22, 20, 5] });
    assert.equal(volume(mesh), 10 * 20 * 5 + 8);
    assert.equal(partCount(mesh), 2);
  });
  it("refuses text that is not OFF", () => {
    assert.throws(() => parseOff("solid x\n"), /not an OFF file/);
  });
});

describe("the ASCII depth image", () => {
  const mesh = parseOff(off(boxOff([30, 10, 5]), boxOff([4, 4, 20], [0, 0, 0], 8)));
  const box = boundingBox(mesh)!;
  const view = (request: Parameters<typeof cameraFor>[0]) => depthImage(mesh, cameraFor(request, box)).rows.join("\n");
  it("differs between views and shows the model's shape", () => {
    const top = view({ view: "top" });
    const front = view({ view: "front" });
    const iso = view({});
    assert.notEqual(top, front);
    assert.notEqual(front, iso);
    // From the top the tower is the nearest thing: the densest character sits at its corner.
    assert.ok(top.includes("@"), top);
    // From the front the tower stands taller than the bar is wide: more rows are covered.
    const rowsCovered = (image: string) => image.split("\n").filter((r) => r.trim() !== "").length;
    assert.ok(rowsCovered(front) > rowsCovered(top), `${front}\n---\n${top}`);
  });
  it("zoom and pan change what is covered", () => {
    const covered = (request: Parameters<typeof cameraFor>[0]) => depthImage(mesh, cameraFor(request, box)).covered;
    assert.ok(covered({ view: "top", zoom: 200 }) > covered({ view: "top" }));
    assert.notEqual(view({ view: "top", panX: 40 }), view({ view: "top" }));
  });
});

describe("what a .scad makes OpenSCAD read", () => {
  it("finds include, use, import, surface and file arguments, and marks non-literal names", () => {
    const refs = fileReferences(
      [
        "include <parts/screws.scad>",
        "// include <commented.scad>",
        'use </etc/openscad.scad>; import("base.stl");',
        "surface(file = name);",
        '/* import("hidden.stl"); */ x = "import(\\"not.stl\\")";',
        "linear_extrude(height = 2) import(file = \"logo.svg\", center = true);",
      ].join("\n"),
    );
    assert.deepEqual(
      refs.map((r) => [r.kind, r.target, r.line]),
      [
        ["include", "parts/screws.scad", 1],
        ["use", "/etc/openscad.scad", 3],
        ["import", "base.stl", 3],
        ["file argument", undefined, 4],
        ["file argument", "logo.svg", 6],
      ],
    );
  });
  it("reads errors and warnings with their file and line", () => {
    const messages = openscadMessages(
      "ERROR: Parser error: syntax error in file model.scad, line 2\nWARNING: Ignoring unknown module 'foo' in file model.scad, line 7\nECHO: 1\nCan't parse file 'model.scad'!",
    );
    assert.deepEqual(messages, [
      { severity: "error", text: "Parser error: syntax error", file: "model.scad", line: 2 },
      { severity: "warning", text: "Ignoring unknown module 'foo'", file: "model.scad", line: 7 },
    ]);
  });
});

describe("a .scad may read only workspace files", () => {
  const outer = mkdtempSync(join(tmpdir(), "itu-scad-refs-"));
  const root = join(outer, "workspace");
  mkdirSync(join(root, "parts"), { recursive: true });
  writeFileSync(join(outer, "secret.scad"), "cube(999);\n");
  writeFileSync(join(root, "parts/screw.scad"), "module screw() cylinder(r = 1, h = 5);\n");
  writeFileSync(join(root, "parts/sneaky.scad"), "include <../../secret.scad>\n");
  symlinkSync(join(outer, "secret.scad"), join(root, "parts/link.scad"));
  after(() => rmSync(outer, { recursive: true, force: true }));
  const check = (text: string) => checkReferences(root, join(root, "model.scad"), text);

  it("follows includes inside the workspace", async () => {
    assert.deepEqual(await check("use <parts/screw.scad>\nscrew();\n"), { ok: true, files: 2 });
  });
  it("refuses paths that leave it, directly, through an included file, a symlink or OpenSCAD's libraries", async () => {
    const refused = async (text: string, why: RegExp) => {
      const result = await check(text);
      assert.ok(!result.ok && why.test(result.error), JSON.stringify(result));
    };
    await refused("include <../secret.scad>\n", /^model\.scad:1: include names "\.\.\/secret\.scad", which is outside the workspace/);
    await refused("\n\ninclude <parts/sneaky.scad>\n", /^parts\/sneaky\.scad:1: include names "\.\.\/\.\.\/secret\.scad", which is outside the workspace/);
    await refused("use <parts/link.scad>\n", /outside the workspace/);
    await refused("include <MCAD/units.scad>\n", /not a file in the workspace \(OpenSCAD's own libraries are not used\)/);
    await refused('import("/etc/hostname");\n', /an absolute path/);
    await refused("name = \"x.stl\";\nimport(name);\n", /^model\.scad:2: import takes a file name that is not a plain string/);
  });
});

describe("OpenSCAD runs headless", { skip: !openscadInstalled() && process.env.CI !== "true" ? "openscad is not installed" : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), "itu-scad-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("a model that loops forever is killed at the timeout, with its process group", async () => {
    const file = join(dir, "forever.scad");
    writeFileSync(file, "n = len([for (i = [0 : 9999]) for (j = [0 : 9999]) for (k = [0 : 9999]) if (k < 0) k]);\ncube(n + 1);\n");
    const started = Date.now();
    const run = await runOpenscad(file, "model.off", [], { root: dir, timeoutMs: 1500 });
    assert.equal(run.outcome.timedOut, true);
    assert.equal(run.output, undefined);
    assert.ok(Date.now() - started < 15_000);
    const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(file));
    assert.deepEqual(left, []);
  });
  it("a PNG render under xvfb-run is killed with its X server and OpenSCAD", async () => {
    const file = join(dir, "forever-view.scad");
    writeFileSync(file, "n = len([for (i = [0 : 9999]) for (j = [0 : 9999]) for (k = [0 : 9999]) if (k < 0) k]);\ncube(n + 1);\n");
    const xServers = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => /^Xvfb\b/.test(l)).length;
    const before = xServers();
    const run = await runOpenscad(file, "view.png", ["--imgsize=64,64"], { root: dir, timeoutMs: 2500 });
    assert.equal(run.outcome.timedOut, true);
    await new Promise((r) => setTimeout(r, 300));
    const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes("forever-view.scad"));
    assert.deepEqual(left, []);
    assert.equal(xServers(), before);
  });
  it("exports the geometry of a good model", async () => {
    const file = join(dir, "box.scad");
    writeFileSync(file, "cube([10, 20, 5]);\n");
    const run = await runOpenscad(file, "model.off", [], { root: dir, timeoutMs: 60_000 });
    assert.equal(run.outcome.exitCode, 0, run.outcome.output);
    assert.equal(volume(parseOff(run.output!.toString("utf8"))), 1000);
  });
});
