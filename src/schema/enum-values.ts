/** Enum values with their descriptions, in the order of `names` (the form `builder.enumType` takes). */
export function described<Name extends string>(names: readonly Name[], descriptions: Record<Name, string>): Record<Name, { description: string }> {
  return Object.fromEntries(names.map((name) => [name, { description: descriptions[name] }])) as Record<Name, { description: string }>;
}
