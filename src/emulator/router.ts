import type { OperationDefinition } from './operation.js';

/**
 * Finds the operation a request is for: restJson1 by method and path, awsJson1_1 by X-Amz-Target, awsQuery by the
 * Action parameter.
 */

interface RestRoute {
  readonly method: string;
  readonly segments: readonly string[];
  readonly operation: OperationDefinition;
}

export interface RestMatch {
  readonly operation: OperationDefinition;
  readonly pathParams: Record<string, string>;
}

export class OperationRouter {
  private readonly restRoutes: RestRoute[] = [];
  private readonly targets = new Map<string, OperationDefinition>();
  private readonly actions = new Map<string, OperationDefinition>();

  constructor(operations: readonly OperationDefinition[]) {
    for (const operation of operations) {
      if (operation.http) {
        this.restRoutes.push({ method: operation.http.method, segments: operation.http.path.split('/'), operation });
      }
      if (operation.target) this.targets.set(operation.target, operation);
      if (operation.action) this.actions.set(operation.action, operation);
    }
  }

  matchTarget(target: string): OperationDefinition | undefined {
    return this.targets.get(target);
  }

  matchAction(action: string): OperationDefinition | undefined {
    return this.actions.get(action);
  }

  /** `rawPath` is the path as sent; labels are percent-decoded (an undecodable label stays raw and fails validation). */
  matchRest(method: string, rawPath: string): RestMatch | undefined {
    const segments = rawPath.split('/');
    for (const route of this.restRoutes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      const matches = route.segments.every((pattern, i) => {
        const label = /^\{(\w+)\}$/.exec(pattern)?.[1];
        if (label === undefined) return pattern === segments[i];
        pathParams[label] = decodeSegment(segments[i]!);
        return true;
      });
      if (matches) return { operation: route.operation, pathParams };
    }
    return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Decodes a query string the way the SDKs encode it (RFC 3986 percent-encoding; `+` is a plus,
 * not a space). Repeated keys keep every value, which SigV4 canonicalization needs.
 */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (rawQuery === '') return query;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeSegment(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeSegment(pair.slice(eq + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/** The first value of each query parameter (what a restJson1 operation binds). */
export function firstValues(query: Readonly<Record<string, string | string[]>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0]! : value]),
  );
}
