/** The message of anything thrown: an Error's message, or the value as text. (native/ is its own
 * program and imports nothing from extension/.) */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
