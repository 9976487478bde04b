// The window plan: the per-turn reservation follows the room the prompt leaves, and a window too
// small for the prompt and one turn is named in one line.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MIN_TURN_TOKENS, minimumWindow, refusedTokens, turnReservation, windowTooSmallMessage } from "../../../extension/core/agent/window";

describe("window plan", () => {
  it("keeps the requested reservation when the window has room", () => {
    assert.equal(turnReservation(32_766, 3_000, 1024), 1024);
  });

  it("lowers it to half the room after the prompt in a small window", () => {
    assert.equal(turnReservation(4_094, 3_276, 8192), 409);
  });

  it("refuses a window that cannot hold the prompt, a turn and its observation", () => {
    assert.equal(turnReservation(minimumWindow(3_276) - 1, 3_276, 8192), undefined);
    assert.equal(turnReservation(minimumWindow(3_276), 3_276, 8192), MIN_TURN_TOKENS);
  });

  it("says the window, the prompt's size and what to change, in one line", () => {
    const message = windowTooSmallMessage({ capacity: 2_046, remedy: (n) => `use at least ${n}` }, 3_276);
    assert.equal(message, "The model's window (2,046 tokens) is too small: the rules, tools and task take 3,276 tokens and a turn needs 512 more; use at least 3788.");
    assert.ok(!message.includes("\n"));
  });

  it("reads the refused size from a WINDOW_FULL error only", () => {
    assert.equal(refusedTokens({ code: "WINDOW_FULL", details: { tokenCount: 10, needed: 3_000 } }), 3_010);
    assert.equal(refusedTokens({ code: "BAD_ARGUMENT", details: { tokenCount: 10, needed: 3_000 } }), undefined);
    assert.equal(refusedTokens(new Error("x")), undefined);
  });
});
