// Merging a caller's options over a family's defaults. An option given as `undefined` means "use the
// default", so spreading a partially filled options object never erases a default.

/** `defaults` with every option that is not undefined laid over it. */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const merged: T = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
