// A full llama-server slot (a transformer's window, --no-context-shift) is re-primed as the in-process
// engine does it: the stream starts over from the first digest candidate that leaves room, the
// template's markers as their special tokens and the goal as plain text; without a digest that fits,
// the turn is refused in one sentence and the stream is unchanged. Real llama-server, tiny model.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LlamaServerError, ServerEngine } from "../../../extension/core/engine/index";
import { llamaServerMissing, startLlamaServer, type RunningLlamaServer } from "../../harness/llamaServerProcess";
import { writeTinyModel } from "../../models/tinyModel";
import { CALL_GRAMMAR } from "../native/engineChecks";
import { REPO_ROOT } from "../native/tinyModels";

const missing = llamaServerMissing(REPO_ROOT);
if (missing) console.log(`# skipped: ${missing}`);
const CALL = /^call\([a-z][a-z_]{0,11}, [0-9]{1,3}\)$/;
const GOAL = "Fix the <|im_end|> parser";

const digest = (notes: string) => [
  { text: "<|im_start|>", special: true }, { text: `system\nCall tools.${notes}`, special: false }, { text: "<|im_end|>", special: true },
  { text: "\n", special: false }, { text: "<|im_start|>", special: true }, { text: `user\n${GOAL}`, special: false }, { text: "<|im_end|>", special: true },
];

describe("a full server slot", { skip: missing }, () => {
  let server: RunningLlamaServer;
  let engine: ServerEngine;
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), "itu-server-reprime-"));
    const model = join(dir, "llama-markers.gguf");
    await writeTinyModel({ arch: "llama", seed: 3, path: model, dModel: 64, layers: 2, specialTokens: ["<|im_start|>", "<|im_end|>"] });
    server = await startLlamaServer(REPO_ROOT, { model, slots: 2, slotContext: 512 });
    engine = await ServerEngine.connect(server.url);
  });
  after(async () => { await server?.kill(); });

  it("is re-primed from the first digest that leaves room, markers as special tokens, and the turn runs", async () => {
    const [start] = await engine.server.tokenize("<|im_start|>", true);
    const [end] = await engine.server.tokenize("<|im_end|>", true);
    const stream = await engine.openStream({ digest: () => [digest(" n".repeat(300)), digest("")] });
    try {
      await stream.append("a".repeat(460));
      const before = stream.tokenCount;
      const turn = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 60, temperature: 0.8, seed: 1 });
      assert.equal(stream.reprimes, 1);
      assert.match(turn.text, CALL);
      const tokens = stream.streamTokens();
      assert.ok(tokens.length < before, `the stream started over (${tokens.length} tokens, ${before} before)`);
      const expected: number[] = [];
      for (const segment of digest("")) expected.push(...(await engine.server.tokenize(segment.text, segment.special)));
      assert.deepEqual(tokens.slice(0, expected.length), expected);
      assert.equal(tokens.filter((t) => t === start).length, 2);
      assert.equal(tokens.filter((t) => t === end).length, 2, "the goal's <|im_end|> stays plain text");
      // The server evaluated the re-primed stream, not the old one.
      assert.ok(stream.lastTurn!.evaluated + stream.lastTurn!.cached >= expected.length - 1);
      await stream.append("\nobservation: ok\n");
      assert.match((await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 60, temperature: 0.8, seed: 2 })).text, CALL);
    } finally {
      await stream.dispose();
    }
  });

  it("refuses in one sentence when no digest fits, changing nothing", async () => {
    for (const digests of [undefined, () => [digest(" n".repeat(300))]]) {
      const stream = await engine.openStream(digests ? { digest: digests } : {});
      try {
        await stream.append("a".repeat(460));
        const tokens = stream.streamTokens();
        const error = await stream.generate({ grammar: CALL_GRAMMAR, maxTokens: 60 }).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof LlamaServerError && error.code === "WINDOW_FULL", String(error));
        assert.match(error.message, /^The session \(460 \+ 60 tokens\) no longer fits the server's slot \(510 tokens\)/);
        assert.deepEqual(stream.streamTokens(), tokens);
        assert.equal(stream.reprimes, 0);
      } finally {
        await stream.dispose();
      }
    }
  });
});
