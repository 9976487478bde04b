// LFM2.5's template and special tokens: pythonic calls, <|tool_call_start|>[f(a='x')]<|tool_call_end|> (see support/familySessions.ts).
import { familySessionSuite } from "../support/familySessions";

familySessionSuite("lfm2.5", "lfm2-pythonic");
