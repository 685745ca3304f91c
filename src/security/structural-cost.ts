import {
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type ValueNode,
  visit,
} from 'graphql';

/**
 * graphql-armor's structural cost (its cost-limit rule, with the options limits.ts gives it), computed with the
 * operation's variable values: armor's rule runs in validation, before there are variables, so it multiplies a
 * list by `first: 100` but not by `first: $n`, and 66 aliased pages sized by a variable answered 7.3 MB where the
 * same pages with a literal were refused. The formula is armor's own (objects 2, scalars 1, each level 1.5 times
 * its parent, a field's subtree times its `first`/`last`, a repeated fragment at its first cost, `__schema` free),
 * so an operation is refused with `first: $n` exactly when it would be with the literal.
 */

const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_COST_FACTOR = 1.5;

/** Whether the document sizes any list by a variable (otherwise armor's rule has already decided). */
export function sizesListsByVariables(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Argument(argument) {
      if ((argument.name.value === 'first' || argument.name.value === 'last') && argument.value.kind === Kind.VARIABLE)
        found = true;
    },
  });
  return found;
}

function multiplierOf(value: ValueNode, variables: Readonly<Record<string, unknown>>): number {
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const n = variables[value.name.value];
    return typeof n === 'number' && Number.isFinite(n) ? n : 1;
  }
  return 1;
}

export function structuralCost(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): number {
  // armor's memo of fragment costs: -1 while a fragment is being costed (a cycle), then its cost.
  const visited = new Map<string, number>();
  const cost = (node: ASTNode): number => {
    if (node.kind === Kind.FIELD && node.name.value === '__schema') return 0;
    if (node.kind === Kind.OPERATION_DEFINITION)
      return node.selectionSet.selections.reduce((sum, child) => sum + cost(child), 0);
    let total = SCALAR_COST;
    if ('selectionSet' in node && node.selectionSet) {
      total = OBJECT_COST;
      let multiplier = 1;
      if (node.kind === Kind.FIELD) {
        const sized = node.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
        if (sized) multiplier = Math.max(multiplierOf(sized.value, variables), 1);
      }
      for (const child of node.selectionSet.selections) total += DEPTH_COST_FACTOR * cost(child);
      return total * multiplier;
    }
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const name = node.name.value;
      const known = visited.get(name);
      if (known !== undefined) return total + DEPTH_COST_FACTOR * known;
      visited.set(name, -1);
      const fragment = fragments.get(name);
      if (fragment) {
        const fragmentCost = cost(fragment);
        total += DEPTH_COST_FACTOR * fragmentCost;
        if (visited.get(name) === -1) visited.set(name, fragmentCost);
      }
    }
    return total;
  };
  return cost(operation);
}
