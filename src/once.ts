/**
 * `make()`'s result, computed at the first call and kept. A failure is kept too and thrown again, so a document that
 * cannot be built fails every request for it at once instead of being rebuilt, slowly, on each one.
 */
export function once<T>(make: () => T): () => T {
  let outcome: { value: T } | { error: unknown } | undefined;
  return () => {
    if (!outcome) {
      try {
        outcome = { value: make() };
      } catch (error) {
        outcome = { error };
      }
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  };
}
