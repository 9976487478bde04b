import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { integerRange } from "../../../extension/core/prompt/gbnf";

/** A tiny matcher for the subset integerRange emits: literals, digit classes, groups, alternation, {n}. */
function matches(grammar: string, text: string): boolean {
  const pattern = grammar
    .replace(/"([^"]*)"/g, (_m, s: string) => s.replace(/[-]/g, "\\-"))
    .replace(/\s+/g, "")
    .replace(/\(/g, "(?:");
  return new RegExp(`^(?:${pattern})$`).test(text);
}

describe("integerRange", () => {
  const ranges: [number, number][] = [[0, 0], [1, 10_000_000], [0, 10_000_000], [-50, 7], [-1000, -3], [13, 4711], [99, 100], [7, 7]];
  for (const [lo, hi] of ranges) {
    it(`admits exactly ${lo}..${hi}`, () => {
      const grammar = integerRange(lo, hi);
      const probes = new Set<number>([lo, hi, lo - 1, hi + 1, 0, -0, 1, -1, 10, 99, 100, 101, 9_999_999, 10_000_001, 99_999_999]);
      for (let i = 0; i < 300; i++) probes.add(Math.round(lo + (hi - lo) * Math.random()));
      for (const n of probes) assert.equal(matches(grammar, String(n)), n >= lo && n <= hi, `${n} in ${grammar}`);
      for (const bad of ["01", "+1", "1e3", "", "-0", "00"]) assert.equal(matches(grammar, bad), false, `${bad} in ${grammar}`);
    });
  }
});
