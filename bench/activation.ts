// Benchmark 5: extension activation time in a real VS Code (code-server, offline): the foundation
// integration group's activation test, launched a few times, each a fresh VS Code whose first
// activation is measured by the extension itself (activate() start to end, performance.now()). The
// same test asserts that nothing native (node-llama-cpp, web-tree-sitter, .node addons) was loaded.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ActivationRow {
  launches: number;
  /** Milliseconds per launch, in launch order. */
  ms: number[];
  median: number;
  nativeModules: number;
}

export function benchActivation(repoRoot: string, launches: number, log: (line: string) => void): ActivationRow {
  const dir = mkdtempSync(join(tmpdir(), "itu-bench-activation-"));
  const ms: number[] = [];
  let nativeModules = 0;
  try {
    // A launch can fail for reasons of its own on a loaded machine (the page load times out): one
    // more try per launch, then give up with what it printed.
    for (let i = 0, failures = 0; ms.length < launches; i++) {
      const file = join(dir, `activation-${i}.json`);
      const run = spawnSync(process.execPath, [join(repoRoot, "dist-test/harness/run-integration.js"), "foundation"], {
        cwd: repoRoot,
        env: { ...process.env, ITU_TEST_GREP: "activates quickly", ITU_BENCH_ACTIVATION: file },
        encoding: "utf8",
        timeout: 300_000,
      });
      if (!existsSync(file)) {
        if (++failures > launches) throw new Error(`the activation test wrote no figure (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
        log(`  a launch failed (exit ${run.status}); trying again`);
        continue;
      }
      const figure = JSON.parse(readFileSync(file, "utf8")) as { activationMs: number; nativeModules: number };
      ms.push(figure.activationMs);
      nativeModules = Math.max(nativeModules, figure.nativeModules);
      log(`  launch ${ms.length}: ${figure.activationMs.toFixed(1)} ms, ${figure.nativeModules} native modules loaded`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { launches, ms, median: sorted[Math.floor(sorted.length / 2)]!, nativeModules };
}
