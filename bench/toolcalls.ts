// Benchmark 2: milliseconds per generated tool call, constrained by the tool-call grammar vs free
// generation of the same number of tokens, on tiny generated models (CPU, one thread).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectSession } from "../extension/cli/llamaSession";
import { createAdapter, type GrammarLimits } from "../extension/core/prompt";
import { toolDefinitions } from "../extension/core/tools/definitions";
import { writeTinyModel, type TinyArchitecture } from "../test/models/generate";
import { sum } from "./timing";

export interface ToolCallBenchRow {
  readonly arch: TinyArchitecture;
  readonly mode: "constrained" | "free";
  readonly calls: number;
  readonly tokens: number;
  readonly msPerCall: number;
  readonly msPerToken: number;
}

export interface ToolCallBenchOptions {
  readonly archs?: readonly TinyArchitecture[];
  readonly calls?: number;
}

const LIMITS: GrammarLimits = { maxStringChars: 48, maxBodyLines: 6, maxBodyLineChars: 60 };
const CONTEXT_SIZE = 1 << 16;

async function measure(path: string, grammar: string | undefined, tokenBudgets: number[] | undefined, calls: number) {
  const adapter = createAdapter("plain");
  const session = await DirectSession.open(path, grammar, { contextSize: CONTEXT_SIZE });
  try {
    await session.append(adapter.renderPreamble(toolDefinitions) + adapter.renderTask("Fix the bug in src/a.ts."));
    const perTurnTokens: number[] = [];
    let ms = 0;
    for (let i = 0; i < calls; i++) {
      const maxTokens = tokenBudgets?.[i] ?? 4096;
      const turn = await session.generate(adapter.turnPrefix, { maxTokens, temperature: 0.8, seed: 100 + i });
      perTurnTokens.push(turn.tokens);
      ms += turn.ms;
      await session.append(adapter.renderObservation({ ok: true, text: "ok" }));
    }
    return { perTurnTokens, ms };
  } finally {
    await session.dispose();
  }
}

/**
 * Constrained turns first; the free run then generates at most as many tokens per turn (it may end
 * sooner: node-llama-cpp's TokenBias cannot ban end tokens). Free `msPerCall` is its ms per token
 * times the constrained run's tokens per call: what the same calls would cost unconstrained.
 */
export async function benchToolCalls(options: ToolCallBenchOptions = {}): Promise<{ rows: ToolCallBenchRow[] }> {
  const archs = options.archs ?? (["mamba2", "rwkv7", "llama"] as const);
  const calls = options.calls ?? 20;
  const dir = mkdtempSync(join(tmpdir(), "itu-bench-toolcalls-"));
  const rows: ToolCallBenchRow[] = [];
  try {
    for (const arch of archs) {
      const path = join(dir, `${arch}.gguf`);
      await writeTinyModel({ arch, seed: 1, path });
      const grammar = createAdapter("plain").grammar(toolDefinitions, LIMITS);
      const constrained = await measure(path, grammar, undefined, calls);
      const free = await measure(path, undefined, constrained.perTurnTokens, calls);
      const constrainedTokens = sum(constrained.perTurnTokens);
      const freeTokens = sum(free.perTurnTokens);
      const freeMsPerToken = freeTokens ? free.ms / freeTokens : 0;
      rows.push({ arch, mode: "constrained", calls, tokens: constrainedTokens, msPerCall: constrained.ms / calls, msPerToken: constrained.ms / constrainedTokens });
      rows.push({ arch, mode: "free", calls, tokens: freeTokens, msPerCall: (freeMsPerToken * constrainedTokens) / calls, msPerToken: freeMsPerToken });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows };
}
