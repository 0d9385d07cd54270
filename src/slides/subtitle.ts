/**
 * The subtitle of a deck's title slide. A description that only numbers the lecture ("Lecture 4 of the MLOps course.")
 * tells the room nothing, so the module's summary stands in for it until the deck gets a real one.
 */
export function isPlaceholderDescription(description: string): boolean {
  return /^\s*lecture\s+\d+\s+of\s+(the\s+)?[\w/ -]*\bcourse\s*\.?\s*(\([^)]*\))?\s*\.?\s*$/i.test(description);
}

export function subtitleOf(description: string, moduleSummary?: string): string {
  return isPlaceholderDescription(description) && moduleSummary ? moduleSummary : description;
}
