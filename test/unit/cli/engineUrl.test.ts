// The one check of --engine's URL that `run` and `batch` share (each command's test checks that it
// uses it: test/unit/headless/run-engine.test.ts and test/unit/cli/batch.test.ts).
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineUrlProblem } from "../../../extension/cli/engineUrl";

describe("the --engine URL check", () => {
  for (const url of ["http://127.0.0.1:8080", "https://gpu.example.com", "http://[::1]:8080/", "HTTP://Server:80/llama/", "http://router.internal:9000/team-a"]) {
    it(`accepts ${url}`, () => assert.equal(engineUrlProblem(url), undefined));
  }
  for (const url of ["localhost:8080", "127.0.0.1:8080", "ftp://127.0.0.1:8080", "http://", "http:// 127.0.0.1", "http://127.0.0.1:8080/ x", "http://127.0.0.1:8080?slot=1", "http://127.0.0.1:8080#x", "http://127.0.0.1:99999", ""]) {
    it(`refuses ${JSON.stringify(url)} in one sentence`, () => assert.equal(engineUrlProblem(url), `--engine needs a llama-server URL such as http://127.0.0.1:8080, got "${url}"`));
  }
});
