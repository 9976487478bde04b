// The tiny GGUF generator: files parse with node-llama-cpp's own GGUF reader, carry the metadata
// and tensor layout llama.cpp expects, and are reproducible from their seed.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { before, describe, it } from "node:test";
import { GgmlType, readGgufFileInfo } from "node-llama-cpp";
import { ALL_ARCHITECTURES, writeTinyModel } from "../../models/generate";
import { REPO_ROOT } from "../native/tinyModels";

let scratch: string;
before(async () => { scratch = await mkdtemp(join(tmpdir(), "itu-gguf-")); });

describe("tiny GGUF generator", () => {
  for (const arch of ALL_ARCHITECTURES) {
    it(`${arch}: writes a GGUF v3 that node-llama-cpp's reader accepts`, async () => {
      const path = join(scratch, `${arch}.gguf`);
      await writeTinyModel({ arch, seed: 1, path, chatTemplate: "{% for m in messages %}{{ m.content }}{% endfor %}" });
      const info = await readGgufFileInfo(path);
      assert.equal(info.version, 3);
      const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
      assert.equal(metadata.general!.architecture, arch);
      const tokenizer = metadata.tokenizer as { ggml: { model: string; tokens: string[]; merges: string[] }; chat_template: string };
      assert.equal(tokenizer.ggml.model, "gpt2");
      assert.equal(tokenizer.ggml.tokens.length, 281);
      assert.ok(tokenizer.ggml.merges.length > 10);
      assert.match(tokenizer.chat_template, /messages/);
      const contextLength = (metadata[arch] as { context_length: number }).context_length;
      assert.ok(contextLength >= 131072, "a large trained context avoids llama.cpp's n_ctx_train warning");
      const tensors = info.tensorInfo ?? [];
      assert.ok(tensors.length > 10);
      for (const conv of tensors.filter((t) => t.name.includes("ssm_conv1d.weight"))) assert.equal(conv.ggmlType, GgmlType.F32);
      assert.ok(tensors.some((t) => t.name === "token_embd.weight"));
    });
  }

  it("is reproducible: the same seed writes the same bytes, another seed other weights", async () => {
    const [a, b, c] = ["a", "b", "c"].map((n) => join(scratch, `seed-${n}.gguf`));
    await writeTinyModel({ arch: "rwkv7", seed: 5, path: a! });
    await writeTinyModel({ arch: "rwkv7", seed: 5, path: b! });
    await writeTinyModel({ arch: "rwkv7", seed: 6, path: c! });
    const [ba, bb, bc] = await Promise.all([a!, b!, c!].map((p) => readFile(p)));
    assert.ok(ba!.equals(bb!));
    assert.equal(ba!.length, bc!.length);
    assert.ok(!ba!.equals(bc!));
  });

  it("grows with dModel and layers and rejects shapes llama.cpp cannot run", async () => {
    const small = join(scratch, "small.gguf");
    const large = join(scratch, "large.gguf");
    await writeTinyModel({ arch: "mamba2", seed: 1, path: small });
    await writeTinyModel({ arch: "mamba2", seed: 1, path: large, dModel: 256, layers: 3 });
    assert.ok((await stat(large)).size > 2 * (await stat(small)).size);
    await assert.rejects(writeTinyModel({ arch: "rwkv7", seed: 1, path: join(scratch, "bad.gguf"), dModel: 96 }), /multiple of 64/);
    await assert.rejects(writeTinyModel({ arch: "llama", seed: 1, path: join(scratch, "bad.gguf"), layers: 0 }), /layers/);
  });

  it("the CLI writes one model per architecture and skips existing files", async () => {
    const tool = join(REPO_ROOT, "dist-test", "tools", "generate-models.mjs");
    const out = join(scratch, "cli");
    await promisify(execFile)(process.execPath, [tool, out]);
    const names = (await readdir(out)).sort();
    assert.deepEqual(names, ALL_ARCHITECTURES.map((a) => `tiny-${a}.gguf`).sort());
    await writeFile(join(out, "tiny-llama.gguf"), "kept");
    await promisify(execFile)(process.execPath, [tool, out]);
    assert.equal(await readFile(join(out, "tiny-llama.gguf"), "utf8"), "kept");
    await assert.rejects(promisify(execFile)(process.execPath, [tool]), (e: { code?: number }) => e.code === 2);
  });
});
