// `probe` on models whose trained window is small (2k, 4k, 8k; a transformer and a hybrid), run as a
// user runs it: the reservation per turn follows the window, a full window is re-primed, and a
// window too small for the prompt is refused in one line that says what to change.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeTinyModel, type TinyArchitecture } from "../../models/generate";
import { runCli } from "./runCli";

interface Summary { summary: true; turns: number; window: number; promptTokens: number; maxTokensPerTurn: number; reprimes: number }

describe("probe in small windows", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "itu-probe-window-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const model = async (arch: TinyArchitecture, contextLength: number) => {
    const path = join(dir, `${arch}-${contextLength}.gguf`);
    await writeTinyModel({ arch, seed: 3, path, dModel: 64, layers: 2, contextLength });
    return path;
  };
  const probe = (path: string, turns: number, extra: string[] = []) =>
    runCli(["probe", path, "--turns", String(turns), "--json", "--threads", "1", "--seed", "5", "--temperature", "0.8", ...extra]);

  for (const arch of ["llama", "granitehybrid"] as const) {
    it(`refuses a 2k ${arch} window in one line: window, prompt size, what to change`, async () => {
      const run = await probe(await model(arch, 2048), 1);
      assert.equal(run.code, 3, run.stderr);
      assert.equal(run.stdout, "");
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, /^probe: The model's window \(2,046 tokens\) is too small: the rules, tools and task take [\d,]+ tokens and a turn needs 512 more; choose a model trained on a window of at least [\d,]+ tokens \(this one has 2,048\)\.$/);
    });

    it(`runs turns in a 4k ${arch} window, re-priming when it fills`, async () => {
      const run = await probe(await model(arch, 4096), 4);
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
      const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const summary = lines.at(-1) as unknown as Summary;
      assert.equal(summary.turns, 4);
      assert.equal(lines.length, 5, "every turn is reported");
      assert.equal(summary.window, 4094);
      // The default --max-tokens (8,192) is lowered to half of what the prompt leaves.
      assert.equal(summary.maxTokensPerTurn, Math.floor((4094 - summary.promptTokens) / 2));
      assert.ok(summary.reprimes >= 1, JSON.stringify(summary));
      assert.doesNotMatch(run.stderr, /window is full/);
    });
  }

  it("keeps --max-tokens when an 8k window has room for it", async () => {
    const run = await probe(await model("llama", 8192), 2, ["--max-tokens", "200"]);
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
    const summary = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Summary;
    assert.equal(summary.turns, 2);
    assert.equal(summary.window, 8190);
    assert.equal(summary.maxTokensPerTurn, 200);
    assert.equal(summary.reprimes, 0);
  });
});
