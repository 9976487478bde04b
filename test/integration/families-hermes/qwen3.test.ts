// Qwen3's template and special tokens: hermes calls, <tool_call>{json}</tool_call> (see support/familySessions.ts).
import { familySessionSuite } from "../support/familySessions";

familySessionSuite("qwen3", "hermes");
