/**
 * Results of per-operation checks, remembered per parsed document (Apollo Server reuses the DocumentNode of a query
 * it has seen) and per variables, so a repeated operation is not walked again on every request. Bounded in bytes: a
 * document keeps at most `maxVariants` variable sets, dropping the oldest, and a key longer than `maxKeyLength`
 * characters (large variables) is computed every time instead of kept. The documents themselves are Apollo's, held
 * weakly, so a memo goes with its document.
 */
export class DocumentMemo<T> {
  private readonly byDocument = new WeakMap<object, Map<string, T>>();

  constructor(
    private readonly maxVariants = 64,
    private readonly maxKeyLength = 4096,
  ) {}

  get(document: object, key: string, compute: () => T): T {
    if (key.length > this.maxKeyLength) return compute();
    let variants = this.byDocument.get(document);
    if (!variants) {
      variants = new Map();
      this.byDocument.set(document, variants);
    }
    if (variants.has(key)) return variants.get(key) as T;
    const value = compute();
    const oldest = variants.keys().next();
    if (variants.size >= this.maxVariants && !oldest.done) variants.delete(oldest.value);
    variants.set(key, value);
    return value;
  }

  /** Keys remembered for `document` (tests). */
  sizeOf(document: object): number {
    return this.byDocument.get(document)?.size ?? 0;
  }
}

/** The memo key of an operation's name and variables. */
export function variablesKey(
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): string {
  return `${operationName ?? ''}\u0000${variables ? JSON.stringify(variables) : ''}`;
}
