/** The registration's `sdk` as the catalog stores it: "name@version (language)". */
export function sdkVersionText(sdk: { name: string; version: string; language: string }): string {
  return `${sdk.name}@${sdk.version} (${sdk.language})`;
}

/** The name and language back from the catalog's text (after a restart, before the instance registers again); null when unreadable. */
export function sdkOf(text: string | null): { name: string; language: string } | null {
  const match = text ? /^(.+)@[^@]* \(([^()]*)\)$/.exec(text) : null;
  return match ? { name: match[1]!, language: match[2]! } : null;
}
