// Team changes of a user's edit form, as the memberships to add and to remove.

export function membershipChanges(
  before: readonly string[],
  after: readonly string[],
): { add: string[]; remove: string[] } {
  const was = new Set(before);
  const now = new Set(after);
  return { add: [...now].filter((id) => !was.has(id)), remove: [...was].filter((id) => !now.has(id)) };
}
