// The probe command, run as a user runs it: `node dist/cli.mjs probe ...` in a child process.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TINY_ARCHITECTURES, writeTinyModel } from "../../models/generate";
import { runCli, type CliRun } from "./runCli";

/** A refusal is one clear message: no stack trace, no llama.cpp assert or backtrace. */
function assertCleanRefusal(run: CliRun, message: RegExp): void {
  assert.equal(run.code, 3, `exit code; stderr: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /\n\s+at |GGML_ASSERT|backtrace|Aborted/);
  assert.equal(run.stdout, "");
}

describe("probe", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "itu-probe-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const arch of TINY_ARCHITECTURES) {
    it(`runs tool-call turns on a generated ${arch} model and prints JSON lines`, async () => {
      const path = join(dir, `${arch}.gguf`);
      await writeTinyModel({ arch, seed: 3, path, dModel: 64, layers: 2 });
      const run = await runCli(["probe", path, "--turns", "4", "--json", "--threads", "1", "--seed", "5", "--temperature", "0.8"]);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 5);
      for (const [i, turn] of lines.slice(0, 4).entries()) {
        assert.equal(turn.turn, i + 1);
        assert.equal(turn.valid, true, JSON.stringify(turn));
        assert.equal(typeof turn.raw, "string");
        assert.ok((turn.raw as string).length > 0);
        assert.equal(typeof (turn.call as { tool: unknown }).tool, "string");
        assert.ok((turn.tokens as number) > 0);
        assert.equal(typeof turn.ms, "number");
      }
      const summary = lines[4]!;
      assert.equal(summary.summary, true);
      assert.equal(summary.architecture, arch);
      assert.equal(summary.turns, 4);
      assert.equal(summary.valid, 4);
      assert.equal(summary.invalid, 0);
      assert.equal(summary.format, arch.startsWith("rwkv") ? "rwkv" : "plain");
    });
  }

  it("follows --format over the model's metadata", async () => {
    const path = join(dir, "mamba2.gguf");
    const run = await runCli(["probe", path, "--turns", "2", "--json", "--format", "hermes", "--seed", "9", "--temperature", "0.8"]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { raw?: string; format?: string });
    assert.ok(lines[0]!.raw!.startsWith("<tool_call>\n"), lines[0]!.raw);
    assert.equal(lines.at(-1)!.format, "hermes");
  });

  it("refuses a file that is not GGUF", async () => {
    const path = join(dir, "notes.gguf");
    writeFileSync(path, "just some text, not a model\n");
    assertCleanRefusal(await runCli(["probe", path, "--json"]), /not a GGUF model file/);
  });

  it("refuses a model cut short in its tensor data", async () => {
    const path = join(dir, "cut-data.gguf");
    copyFileSync(join(dir, "mamba2.gguf"), path);
    truncateSync(path, Math.floor(statSync(path).size * 0.6));
    assertCleanRefusal(await runCli(["probe", path]), /truncated/);
  });

  it("refuses a model cut short in its header", async () => {
    const path = join(dir, "cut-header.gguf");
    writeFileSync(path, readFileSync(join(dir, "mamba2.gguf")).subarray(0, 200));
    assertCleanRefusal(await runCli(["probe", path]), /damaged or truncated|truncated/);
  });

  it("refuses a missing file", async () => {
    assertCleanRefusal(await runCli(["probe", join(dir, "absent.gguf")]), /does not exist/);
  });

  it("documents itself with --help and rejects bad options with exit code 2", async () => {
    const help = await runCli(["probe", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--turns N[\s\S]*--json[\s\S]*--format F/);
    const bad = await runCli(["probe", "x.gguf", "--turns", "zero"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--turns needs an integer/);
    const badFormat = await runCli(["probe", "x.gguf", "--format", "xml"]);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of plain, hermes, rwkv/);
  });
});
