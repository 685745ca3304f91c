/** A validation problem in a document the emulator reads (fixtures, fault configs). */
export interface ValidationIssue {
  /** Where in the document, e.g. `regions.us-east-1.customerProfiles.domains[0].eventStreams[2].State`. */
  readonly path: string;
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[\w$-]+$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n');
}
