// The launcher's self-test: only run on request (ITU_SELFTEST), to prove that a failing test and a
// crashing extension host both make the integration run fail.
import * as assert from "node:assert/strict";

describe("launcher self-test", () => {
  it("behaves as ITU_SELFTEST asks", function () {
    switch (process.env.ITU_SELFTEST) {
      case "fail":
        assert.fail("deliberate failure (ITU_SELFTEST=fail)");
        break;
      case "hang":
        this.timeout(0);
        return new Promise(() => undefined);
      case "crash":
        process.kill(process.pid, "SIGKILL");
        break;
      default:
        assert.ok(true);
    }
  });
});
