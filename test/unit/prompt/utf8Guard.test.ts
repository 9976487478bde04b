import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenBytesFromVocabulary, utf8Pending, Utf8Guard } from "../../../native/engine/tokenGuards";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("utf8Pending", () => {
  it("agrees with TextDecoder's strict mode on every 1-3 byte sequence of interesting bytes", () => {
    const interesting = [0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xf8, 0xff];
    const strict = new TextDecoder("utf-8", { fatal: true });
    const check = (seq: number[]) => {
      const pending = utf8Pending(Uint8Array.from(seq));
      let complete = true;
      try {
        strict.decode(Uint8Array.from(seq));
      } catch {
        complete = false;
      }
      if (pending === 0) assert.ok(complete, `${seq.map((b) => b.toString(16))} judged complete`);
      if (complete) assert.equal(pending, 0, `${seq.map((b) => b.toString(16))} is valid UTF-8`);
    };
    for (const a of interesting) {
      check([a]);
      for (const b of interesting) {
        check([a, b]);
        for (const c of interesting) check([a, b, c]);
      }
    }
  });

  it("rejects overlongs, surrogates and code points above U+10FFFF, keeps incomplete tails", () => {
    assert.equal(utf8Pending(bytes(0xe0, 0x9f, 0xbf)), undefined);
    assert.equal(utf8Pending(bytes(0xf0, 0x8f, 0xbf, 0xbf)), undefined);
    assert.equal(utf8Pending(bytes(0xed, 0xa0, 0x80)), undefined);
    assert.equal(utf8Pending(bytes(0xf4, 0x90, 0x80, 0x80)), undefined);
    assert.equal(utf8Pending(bytes(0xf8)), undefined);
    assert.equal(utf8Pending(bytes(0x41, 0xe6, 0x97)), 2);
    assert.equal(utf8Pending(bytes(0xf0, 0x9f, 0x98, 0x80)), 0);
  });
});

describe("Utf8Guard", () => {
  // Vocabulary: every byte as its own token, as in the project's tiny models.
  const vocab = Array.from({ length: 256 }, (_, b) => bytes(b));

  it("bans lone continuation bytes and never-valid bytes outside a sequence", () => {
    const banned = new Set(new Utf8Guard(vocab).banned());
    for (const b of [0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff]) assert.ok(banned.has(b), b.toString(16));
    for (const b of [0x41, 0xc2, 0xe0, 0xf0, 0xf4]) assert.ok(!banned.has(b), b.toString(16));
  });

  it("after E0 bans the overlong second bytes 80-9F and allows A0-BF", () => {
    const guard = new Utf8Guard(vocab);
    guard.accept(0xe0);
    const banned = new Set(guard.banned());
    assert.ok(banned.has(0x80) && banned.has(0x9f));
    assert.ok(!banned.has(0xa0) && !banned.has(0xbf));
    guard.accept(0xa0);
    guard.accept(0x80);
    assert.ok(new Set(guard.banned()).has(0x80), "the sequence is complete: a continuation is stray again");
  });
});

describe("tokenBytesFromVocabulary", () => {
  it("decodes GPT-2 byte-level tokens and SentencePiece byte tokens", () => {
    const gpt2 = tokenBytesFromVocabulary("gpt2", ["Ġhi", "Ã©", "中"])!;
    assert.deepEqual([...gpt2[0]!], [0x20, 0x68, 0x69]);
    assert.deepEqual([...gpt2[1]!], [0xc3, 0xa9]);
    assert.equal(gpt2[2], undefined);
    const spm = tokenBytesFromVocabulary("llama", ["<0xE0>", "\u2581the"])!;
    assert.deepEqual([...spm[0]!], [0xe0]);
    assert.deepEqual([...spm[1]!], [0x20, 0x74, 0x68, 0x65]);
    assert.equal(tokenBytesFromVocabulary("rwkv", ["x"]), undefined);
  });
});
