// The grammars and tags queries as the extension ships them (grammars/ and dist/ after a build),
// parsed with the real web-tree-sitter.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { languages } from "../../../extension/core/syntax/languages";
import { formatSymbols, findSymbol } from "../../../extension/core/syntax/outline";
import { createSyntaxService } from "../../../extension/core/syntax/service";

const service = createSyntaxService({ grammarsDir: join(process.cwd(), "grammars"), runtimeWasm: join(process.cwd(), "dist", "web-tree-sitter.wasm") });
const always = () => true;

const samples: Record<string, [string, string, string[]]> = {
  typescript: ["a.ts", "interface Shape {\n  area(): number;\n}\nexport class Square implements Shape {\n  constructor(private side: number) {}\n  area(): number {\n    return this.side ** 2;\n  }\n}\nconst twice = (n: number) => n * 2;\n", ["interface Shape (1-3)", "class Square (4-9)", "  method constructor (5-5)", "  method area (6-8)", "function twice (10-10)"]],
  typescriptreact: ["a.tsx", "export function App() {\n  return <div>hi</div>;\n}\n", ["function App (1-3)"]],
  javascript: ["a.js", "class A {\n  m() {}\n}\nfunction f() {}\n", ["class A (1-3)", "  method m (2-2)", "function f (4-4)"]],
  python: ["a.py", "class Greeter:\n    def hello(self):\n        return 'hi'\n\ndef main():\n    pass\n", ["class Greeter (1-3)", "  function hello (2-3)", "function main (5-6)"]],
  rust: ["a.rs", "struct P { x: i32 }\nimpl P {\n    fn new() -> P { P { x: 0 } }\n}\n", ["class P (1-1)", "impl P (2-4)", "  function new (3-3)"]],
  go: ["a.go", "package m\ntype T struct{}\nfunc (t T) M() {}\nfunc F() {\n}\n", ["type T (2-2)", "method M (3-3)", "function F (4-5)"]],
  java: ["A.java", "class A {\n  void m() {\n  }\n}\n", ["class A (1-4)", "  method m (2-3)"]],
  c: ["a.c", "struct s { int x; };\nint main(void) {\n  return 0;\n}\n", ["class s (1-1)", "function main (2-4)"]],
  cpp: ["a.cpp", "namespace n {\nclass K { };\nint f() { return 1; }\n}\n", ["module n (1-4)", "  class K (2-2)", "  function f (3-3)"]],
  csharp: ["a.cs", "namespace N {\n  class C {\n    void M() { }\n  }\n}\n", ["module N (1-5)", "  class C (2-4)", "    method M (3-3)"]],
  ruby: ["a.rb", "module M\n  class C\n    def m\n    end\n  end\nend\n", ["module M (1-6)", "  class C (2-5)", "    method m (3-4)"]],
  php: ["a.php", "<?php\nfunction f() {}\nclass C {\n  function m() {}\n}\n", ["function f (2-2)", "class C (3-5)", "  method m (4-4)"]],
  shellscript: ["a.sh", "greet() {\n  echo hi\n}\n", ["function greet (1-3)"]],
  css: ["a.css", "a { color: red; }\n", []],
  json: ["a.json", "{\"a\": [1, 2]}\n", []],
};

describe("tree-sitter grammars", () => {
  for (const spec of languages) {
    it(`loads ${spec.id}, compiles its tags query and outlines a sample`, async () => {
      const sample = samples[spec.id];
      assert.ok(sample, `no sample for ${spec.id}`);
      const analysis = await service.analyze(sample[0], sample[1]);
      assert.ok(analysis, `${sample[0]} was not recognised`);
      assert.deepEqual(analysis.problems, [], `the sample for ${spec.id} should parse cleanly`);
      assert.deepEqual(formatSymbols(analysis.symbols).map((s) => s.replace(/\s+$/, "")), sample[2]);
    });
  }

  it("finds a method by qualified name", async () => {
    const analysis = await service.analyze("a.py", samples.python![1]);
    assert.deepEqual(findSymbol(analysis!.symbols, "Greeter.hello").map((s) => s.startLine), [2]);
    assert.deepEqual(findSymbol(analysis!.symbols, "Other.hello"), []);
  });
});

describe("syntax guard", () => {
  const before = "def f(x):\n    return x + 1\n\ndef g():\n    pass\n";
  it("rejects an edit that adds a syntax error and shows it inside its function", async () => {
    const after = "def f(x):\n    return (x + 1\n\ndef g():\n    pass\n";
    const result = await service.guard("m.py", before, after, always);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && /line \d+/.test(result.report), !result.ok ? result.report : "");
    assert.ok(!result.ok && result.report.includes("│    return (x + 1"), !result.ok ? result.report : "");
  });
  it("accepts a good edit", async () => {
    const result = await service.guard("m.py", before, before.replace("x + 1", "x + 2"), always);
    assert.deepEqual(result, { ok: true, checked: "python" });
  });
  it("does not block an edit to a file that was already broken, when no new problem appears", async () => {
    const broken = "def f(:\n    pass\n";
    const result = await service.guard("m.py", broken, broken + "x = 1\n", always);
    assert.equal(result.ok, true);
  });
  it("can be switched off per language", async () => {
    const result = await service.guard("m.py", before, "def (:\n", (id) => id !== "python");
    assert.deepEqual(result, { ok: true, checked: undefined });
  });
  it("ignores files without a grammar", async () => {
    assert.deepEqual(await service.guard("notes.txt", "a", "((", always), { ok: true, checked: undefined });
  });
});
