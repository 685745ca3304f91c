import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type GraphQLError,
  Lexer,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
  parse,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { ENTRY_OVERHEAD_BYTES, stringHeapBytes } from '../cache/memory-store.js';
import type { Metrics } from '../metrics.js';
import { type RefusalCode, refusal, refusalCodeOf } from '../errors.js';
import { checkSelections, introspectionRule } from './selection-limits.js';
import type { LimitSettings } from './settings.js';

/**
 * Limits on what one request may ask, all checked before execution so a refused operation costs no AWS call:
 *
 * 1. query text: size in bytes and lexical tokens, then the width of selection sets and repeated fields
 *    (`checkQueryText`, from the HTTP layer, before Apollo Server parses and validates; selection-limits.ts);
 * 2. document shape: depth, aliases, directives and structural cost (graphql-armor validation rules), and
 *    introspection's own limits (selection-limits.ts);
 * 3. operation and arguments, once variables are known: the preflight (src/preflight/), one walk that decides
 *    hostile values, argument rules, id list lengths and the AWS-call estimate against the budget.
 *
 * graphql-armor's own token plugin is not used: it parses in a plugin hook, and Apollo Server turns any error thrown
 * there, syntax errors included, into an HTTP 500.
 */

const SYNTAX_PREFIX = /^Syntax Error: /;

/** Query texts found within the limits, per limits: bounded in bytes (texts and bookkeeping). */
const ACCEPTED_TEXTS_MAX_BYTES = 2 * 1024 * 1024;
const accepted = new WeakMap<LimitSettings, LRUCache<string, true>>();

function acceptedTexts(limits: LimitSettings): LRUCache<string, true> {
  let texts = accepted.get(limits);
  if (!texts) {
    texts = new LRUCache<string, true>({
      maxSize: ACCEPTED_TEXTS_MAX_BYTES,
      sizeCalculation: (_value, key) => ENTRY_OVERHEAD_BYTES + stringHeapBytes(key),
    });
    accepted.set(limits, texts);
  }
  return texts;
}

/**
 * Byte size, token count and selection shape of a query text; null when within limits (or when it does not parse:
 * Apollo Server reports that). Comments and commas are not tokens. Clients repeat a few operations, and lexing and
 * parsing one again on every request cost more than all the rest of the HTTP layer: a text once accepted is
 * remembered (the verdict depends on the text and the limits only). Refusals are not kept.
 */
export function checkQueryText(query: unknown, limits: LimitSettings): GraphQLError | null {
  if (typeof query !== 'string') return null;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxQueryBytes) {
    return refusal('QUERY_TOO_LARGE', `The query is ${bytes} bytes long; the limit is ${limits.maxQueryBytes}.`, 413, {
      limit: limits.maxQueryBytes,
    });
  }
  const texts = acceptedTexts(limits);
  if (texts.has(query)) return null;
  const error = checkQueryShape(query, limits);
  if (!error) texts.set(query, true);
  return error;
}

function checkQueryShape(query: string, limits: LimitSettings): GraphQLError | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++tokens > limits.maxTokens) {
        return refusal('TOO_MANY_TOKENS', `The query has more than ${limits.maxTokens} tokens.`, 400, {
          limit: limits.maxTokens,
        });
      }
    }
  } catch {
    // A lexical error: Apollo Server's parser reports it as GRAPHQL_PARSE_FAILED with its position.
    return null;
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return null;
  }
  return checkSelections(document, limits);
}

/**
 * Deepest nesting of arrays and objects a request body (or a GET's `variables` and `extensions`) may have. Real
 * variables nest a handful of levels; graphql-js coerces values recursively, so a 100,000-deep array would end in
 * a RangeError (a 500) rather than an answer. The input screen refuses values nested past 16 levels with its own
 * message; this bound sits above it, at the HTTP layer.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Whether `text` (JSON, valid or not) nests arrays and objects deeper than `max`: one pass over the characters,
 * strings skipped, no recursion and no parse, so it is safe on any input.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function reportAs(code: RefusalCode, limit: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(refusal(code, error.message.replace(SYNTAX_PREFIX, ''), 400, { limit }));
    },
  ];
}

/**
 * graphql-armor's depth, alias, directive and cost rules, reporting our codes. Introspection does not count toward
 * depth or cost (GraphiQL's introspection query nests `ofType` deeply); `__typename` aliases are free.
 */
export function limitValidation(
  limits: LimitSettings,
  options: { hideSchemaHints: boolean },
): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
} {
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      onReject: reportAs('QUERY_TOO_DEEP', limits.maxDepth),
      propagateOnRejection: false,
    },
    maxAliases: {
      n: limits.maxAliases,
      onReject: reportAs('TOO_MANY_ALIASES', limits.maxAliases),
      propagateOnRejection: false,
    },
    maxDirectives: {
      n: limits.maxDirectives,
      onReject: reportAs('TOO_MANY_DIRECTIVES', limits.maxDirectives),
      propagateOnRejection: false,
    },
    costLimit: {
      maxCost: limits.maxComplexity,
      ignoreIntrospection: true,
      onReject: reportAs('QUERY_TOO_COMPLEX', limits.maxComplexity),
      propagateOnRejection: false,
    },
    blockFieldSuggestion: { enabled: options.hideSchemaHints },
  }).protect();
  return {
    validationRules: [...(armor.validationRules as ValidationRule[]), introspectionRule(limits)],
    plugins: armor.plugins as ApolloServerPlugin[],
  };
}

/** Counts refusals by code in the metrics, whichever layer refused. */
export function refusalMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operation }) {
          // Refusals come before execution: errors raised while executing (an AWS budget hit mid-way) are not.
          if (operation && errors.some((e) => e.path)) return;
          const codes = new Set(errors.map(refusalCodeOf).filter((c) => c !== undefined));
          for (const code of codes) metrics.requestsRefused.inc({ code });
        },
      };
    },
  };
}
