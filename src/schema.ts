import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { type DocumentNode, type GraphQLSchema, parse } from 'graphql';
import type { Resolvers } from './generated/graphql.js';
import { baseResolvers } from './modules/base/resolvers.js';
import { customerProfilesResolvers } from './modules/customer-profiles/resolvers.js';
import { internetMonitorResolvers } from './modules/internet-monitor/resolvers.js';
import { personalizeResolvers } from './modules/personalize/resolvers.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../schema/', import.meta.url));

/** The contract: every `schema/*.graphql` file, base first. */
export function loadTypeDefs(dir: string = SCHEMA_DIR): DocumentNode[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return files.map((f) => parse(readFileSync(`${dir}/${f}`, 'utf8')));
}

export const resolvers: Resolvers[] = [baseResolvers, customerProfilesResolvers, personalizeResolvers, internetMonitorResolvers];

/**
 * One executable schema that is both a plain GraphQL API and a Federation 2 subgraph (`_service`, `_entities`):
 * plain clients never see the difference.
 */
export function buildSchema(): GraphQLSchema {
  const typeDefs = loadTypeDefs();
  return buildSubgraphSchema(typeDefs.map((doc, i) => ({ typeDefs: doc, resolvers: (i === 0 ? mergeResolvers(resolvers) : {}) as GraphQLResolverMap<unknown> })));
}

function mergeResolvers(list: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const r of list) {
    for (const [type, fields] of Object.entries(r)) {
      if (fields && typeof fields === 'object' && !(Symbol.toStringTag in fields) && !('serialize' in fields)) {
        merged[type] = { ...(merged[type] ?? {}), ...(fields as Record<string, unknown>) };
      } else {
        merged[type] = fields as never;
      }
    }
  }
  return merged as Resolvers;
}
