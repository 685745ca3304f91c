import type { AwsServiceDefinition } from './aws/clients.js';
import type { CacheStates } from './cache/ttl-policy.js';
import type { ArgumentRule, FieldCost, NodeForm, PlaygroundExample, ServiceModule } from './service-module.js';

/**
 * Everything the mechanisms need from the service modules, gathered once at start-up from the list in
 * `src/modules/index.ts`. A field, type or service defined twice is a start-up error, not a silent override.
 */
export interface ModuleCatalog {
  readonly modules: readonly ServiceModule[];
  readonly awsServices: readonly AwsServiceDefinition[];
  readonly argumentRules: ReadonlyMap<string, ArgumentRule>;
  readonly costs: ReadonlyMap<string, FieldCost>;
  readonly summaryGaps: ReadonlyMap<string, (has: (path: string) => boolean) => boolean>;
  readonly cacheStates: Readonly<Record<string, CacheStates>>;
  readonly nodeForms: readonly NodeForm[];
  readonly examples: readonly PlaygroundExample[];
  /** Every IAM action the gateway may call, sorted. */
  readonly iamActions: readonly string[];
  /** Every IAM action of the mutations, sorted: the write policy (the read policy is `iamActions`). */
  readonly writeIamActions: readonly string[];
}

function gather<V>(
  modules: readonly ServiceModule[],
  what: string,
  pick: (m: ServiceModule) => Readonly<Record<string, V>>,
) {
  const out = new Map<string, V>();
  for (const module of modules) {
    for (const [key, value] of Object.entries(pick(module))) {
      if (out.has(key))
        throw new Error(`${what} "${key}" is defined by more than one module (again by ${module.name}).`);
      out.set(key, value);
    }
  }
  return out;
}

export function buildCatalog(modules: readonly ServiceModule[]): ModuleCatalog {
  const awsServices = modules.flatMap((m) => m.awsServices);
  const ids = awsServices.map((s) => s.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`The AWS service "${twice}" is defined by more than one module.`);
  return {
    modules,
    awsServices,
    argumentRules: gather(modules, 'The argument rule of', (m) => m.argumentRules),
    costs: gather(modules, 'The cost of', (m) => m.costs),
    summaryGaps: gather(modules, 'The summary gaps of', (m) => m.summaryGaps),
    cacheStates: Object.fromEntries(gather(modules, 'The cache states of', (m) => m.cacheStates)),
    nodeForms: modules.flatMap((m) => m.nodeForms),
    examples: modules.flatMap((m) => m.examples),
    iamActions: [...new Set(awsServices.flatMap((s) => s.iamActions))].sort(),
    writeIamActions: [...new Set(awsServices.flatMap((s) => Object.values(s.writeIamActions ?? {}).flat()))].sort(),
  };
}
