/**
 * Results of per-operation checks, remembered per parsed document (Apollo Server reuses the DocumentNode of a query
 * it has seen) and per variables, so a repeated operation is not walked again on every request. Bounded: a document
 * keeps at most `maxVariants` variable sets, dropping the oldest.
 */
export class DocumentMemo<T> {
  private readonly byDocument = new WeakMap<object, Map<string, T>>();

  constructor(private readonly maxVariants = 64) {}

  get(document: object, key: string, compute: () => T): T {
    let variants = this.byDocument.get(document);
    if (!variants) {
      variants = new Map();
      this.byDocument.set(document, variants);
    }
    if (variants.has(key)) return variants.get(key)!;
    const value = compute();
    if (variants.size >= this.maxVariants) variants.delete(variants.keys().next().value!);
    variants.set(key, value);
    return value;
  }
}

/** The memo key of an operation's name and variables. */
export function variablesKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string {
  return `${operationName ?? ''}\u0000${variables ? JSON.stringify(variables) : ''}`;
}
