// The model catalog: every entry is downloadable through node-llama-cpp's URI forms and describes
// a recurrent or hybrid model with a known tool-call format.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeCatalogModel, findCatalogModel, MODEL_CATALOG, modelsThatFit } from "../../../extension/host/model/catalog";

describe("model catalog", () => {
  it("lists recurrent and hybrid models with hf: URIs, sizes and formats", () => {
    assert.ok(MODEL_CATALOG.some((m) => m.kind === "recurrent"));
    assert.ok(MODEL_CATALOG.some((m) => m.kind === "hybrid"));
    const ids = new Set<string>();
    for (const m of MODEL_CATALOG) {
      assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
      ids.add(m.id);
      assert.match(m.uri, /^hf:[\w.-]+\/[\w.-]+(\/[\w.-]+\.gguf|:Q\d\w*)$/, m.uri);
      if (m.fileVerified) assert.match(m.uri, /\.gguf$/);
      assert.ok(["plain", "hermes", "rwkv"].includes(m.toolCallFormat));
      assert.ok(m.ramBytes > m.sizeBytes, `${m.id}: RAM must cover the file`);
      assert.match(describeCatalogModel(m), new RegExp(`${m.kind} · ${m.family}`));
    }
    assert.equal(findCatalogModel("lfm2-350m")?.family, "lfm2");
  });

  it("filters by available memory, smallest first", () => {
    const fit = modelsThatFit(2e9);
    assert.ok(fit.length > 0 && fit.every((m) => m.ramBytes <= 2e9));
    assert.deepEqual(fit.map((m) => m.ramBytes), [...fit.map((m) => m.ramBytes)].sort((a, b) => a - b));
    assert.deepEqual(modelsThatFit(1), []);
  });
});
