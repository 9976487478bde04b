// Checks shared by the engine's test files (recurrent, transformer and hybrid models alike).
import assert from "node:assert/strict";
import type { EngineSession } from "../../../native/engine/index";

export const CALL_GRAMMAR = String.raw`root ::= "call(" name ", " [0-9]{1,3} ")"
name ::= [a-z] [a-z_]{0,11}`;

/** Text pieces with the characters that break naive streams: tabs, CRLF, quotes, multi-byte UTF-8. */
export const PIECES = "the quick brown fox; function name() { return 42; }\té ü 日本語 \r\n \"quoted\" <tool_call> 𝄞".split(" ");

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, "logit vectors differ in length");
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** `turns` grammar-constrained calls with an observation after each: every one must be a sentence of the grammar. */
export async function checkGrammarTurns(session: EngineSession, turns: number): Promise<void> {
  await session.append("You may only call tools.\n");
  for (let turn = 0; turn < turns; turn++) {
    const before = session.tokenCount;
    const result = await session.generate({ grammar: CALL_GRAMMAR, maxTokens: 40, temperature: 0.8, seed: turn });
    assert.match(result.text, /^call\([a-z][a-z_]{0,11}, [0-9]{1,3}\)$/);
    assert.equal(result.stopReason, "end");
    assert.equal(session.tokenCount, before + result.tokens.length);
    await session.append(`\nobservation ${turn}: ok\n`);
  }
}
