// The grammar checks the special-token guard needs (tokenGuards.ts), on node-llama-cpp's grammar
// evaluation state. node-llama-cpp has no public call for "may this token come next" or "accept this
// token", so its addon sampler's static functions are used (internal binding, checked by the tests).
import type { LlamaGrammarEvaluationState, LlamaModel } from "node-llama-cpp";
import type { GrammarProbe } from "./tokenGuards";

/** The grammar checks the special-token guard needs, on node-llama-cpp's grammar evaluation state (internal binding). */
export function grammarProbe(model: LlamaModel, state: LlamaGrammarEvaluationState): GrammarProbe {
  const sampler = addonSampler(model);
  const raw = rawState;
  return {
    admits: (token) => sampler.canBeNextTokenForGrammarEvaluationState(raw(state), token),
    admitsAfter(token, tokens) {
      const clone = state.clone();
      sampler.acceptGrammarEvaluationStateToken(raw(clone), token);
      return tokens.some((t) => sampler.canBeNextTokenForGrammarEvaluationState(raw(clone), t));
    },
    admittedAfter(prefix, candidates) {
      const clone = state.clone();
      for (const token of prefix) {
        if (!sampler.canBeNextTokenForGrammarEvaluationState(raw(clone), token)) return [];
        sampler.acceptGrammarEvaluationStateToken(raw(clone), token);
      }
      return candidates.filter((t) => sampler.canBeNextTokenForGrammarEvaluationState(raw(clone), t));
    },
  };
}

interface AddonSamplerStatics {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: number): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: number): void;
}

/** Advances `state` by `token` (what sampling it would do); for checks that walk a grammar. */
export function acceptGrammarToken(model: LlamaModel, state: LlamaGrammarEvaluationState, token: number): void {
  addonSampler(model).acceptGrammarEvaluationStateToken(rawState(state), token);
}

function addonSampler(model: LlamaModel): AddonSamplerStatics {
  return (model as unknown as { _llama: { _bindings: { AddonSampler: AddonSamplerStatics } } })._llama._bindings.AddonSampler;
}

function rawState(state: LlamaGrammarEvaluationState): unknown {
  return (state as unknown as { _state: unknown })._state;
}
