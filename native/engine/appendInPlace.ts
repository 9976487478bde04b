// node-llama-cpp records every decoded batch with `this._contextTokens = this._contextTokens.concat(batch)`:
// a copy of the whole token list for each generated token, so that generating grows O(session length)
// per token (measured on a tiny mamba2: half of the generation time at 150k tokens). An append-only
// stream is exactly the case where that list only ever grows, so the sequence's list is swapped for
// one whose concat appends in place. Every other use (slice, spread, splice, length = 0, reassignment)
// behaves as a plain array.
import type { LlamaContextSequence } from "node-llama-cpp";

export class AppendInPlaceTokenList extends Array<number> {
  // slice/map/filter/splice results are plain arrays: only the sequence's own list appends in place.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  override concat(...items: (number | ConcatArray<number>)[]): number[] {
    for (const item of items) {
      if (typeof item === "number") this.push(item);
      else for (let i = 0; i < item.length; i++) this.push(item[i]!);
    }
    return this;
  }
}

/**
 * Installs the in-place list on a sequence; every list the library assigns later (after clearing
 * or loading a state) is converted too. Returns false when this node-llama-cpp version has no such
 * field, which leaves the sequence as it was (correct, only slower on long sessions).
 */
export function appendTokensInPlace(sequence: LlamaContextSequence): boolean {
  const target = sequence as unknown as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(target, "_contextTokens");
  if (!descriptor || !descriptor.configurable || !Array.isArray(descriptor.value)) return false;
  const convert = (value: unknown): unknown =>
    value instanceof AppendInPlaceTokenList || !Array.isArray(value) ? value : AppendInPlaceTokenList.from(value as number[]);
  let list = convert(descriptor.value);
  Object.defineProperty(target, "_contextTokens", {
    configurable: true,
    enumerable: descriptor.enumerable,
    get: () => list,
    set: (value: unknown) => {
      list = convert(value);
    },
  });
  return true;
}
