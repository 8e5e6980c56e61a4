/** The first key two items share, with the indexes of both items; undefined when every key is unique. */
export function firstRepeat<T>(items: readonly T[], keyOf: (item: T) => string): { key: string; first: number; again: number } | undefined {
  const seen = new Map<string, number>();
  for (const [again, item] of items.entries()) {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first !== undefined) return { key, first, again };
    seen.set(key, again);
  }
  return undefined;
}
