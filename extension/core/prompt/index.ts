// Protocol adapters: prompts, GBNF grammars and parsing of tool calls, per model family.
export { createAdapter, splitMarkers, syntaxOf, THINK_FENCE, type AdapterOptions, type HermesDialect } from "./adapters";
export { adapterFor, chooseFormat, FORMAT_TABLE, formatLine, type FormatChoice, type ModelFormatHints } from "./select";
export { BODY_FENCE } from "./values";
export {
  isParseError,
  textOf,
  type Segment,
  thinkingAsNotesCall,
  TOOL_CALL_FORMATS,
  type GrammarLimits,
  type ParsedCall,
  type ParseError,
  type ProtocolAdapter,
  type ToolCallFormat,
  type ToolCallFormatSetting,
} from "./types";
