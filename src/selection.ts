import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/** The fields an operation selects below the current field: `{ destination: { message: {} } }`. */
export interface SelectionTree {
  [field: string]: SelectionTree;
}

function collect(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  typeNames: ReadonlySet<string> | null,
  into: SelectionTree,
  seen: Set<string>,
): void {
  if (!set) return;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      into[name] ??= {};
      collect(selection.selectionSet, fragments, null, into[name]!, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value;
      if (!on || !typeNames || typeNames.has(on)) collect(selection.selectionSet, fragments, typeNames, into, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue;
      const on = fragment.typeCondition.name.value;
      if (!typeNames || typeNames.has(on)) {
        seen.add(name);
        collect(fragment.selectionSet, fragments, typeNames, into, seen);
        seen.delete(name);
      }
    }
  }
}

/**
 * What the current field's result is asked for, restricted at the top level to fragments on `typeName` (or its
 * interface Node). Lower levels take every fragment: over-asking only costs a complete fetch, never a wrong answer.
 */
export function selectionOf(info: GraphQLResolveInfo, typeName: string, path: readonly string[] = []): SelectionTree {
  const tree: SelectionTree = {};
  const typeNames = new Set([typeName, 'Node', '_Entity']);
  for (const node of info.fieldNodes as FieldNode[])
    collect(node.selectionSet, info.fragments, path.length ? null : typeNames, tree, new Set());
  let at: SelectionTree = tree;
  for (const step of path) at = at[step] ?? {};
  return at;
}

/** Merges the trees found at several paths, e.g. a connection's `nodes` and `edges.node`. */
export function selectionAt(
  info: GraphQLResolveInfo,
  typeName: string,
  paths: ReadonlyArray<readonly string[]>,
): SelectionTree {
  const merged: SelectionTree = {};
  for (const path of paths) mergeInto(merged, selectionOf(info, typeName, path));
  return merged;
}

function mergeInto(target: SelectionTree, source: SelectionTree): void {
  for (const [field, sub] of Object.entries(source)) {
    target[field] ??= {};
    mergeInto(target[field], sub);
  }
}

/** Whether `selection` selects a dotted path, e.g. `destination.message`. */
export function selectsPath(selection: SelectionTree): (path: string) => boolean {
  return (path) => {
    let at: SelectionTree | undefined = selection;
    for (const step of path.split('.')) at = at?.[step];
    return at !== undefined;
  };
}
