import type { CodegenConfig } from '@graphql-codegen/cli';

type OutputConfig = CodegenConfig['generates'][string];

/**
 * Typed operations for a frontend, with codegen's client preset: every `.graphql` file under src/operations
 * becomes a TypedDocumentNode in src/gql/, so a client library (here urql) infers result and variable types.
 * Paths are relative to the repository root, where codegen runs: `npx graphql-codegen --config
 * examples/frontend/codegen.ts` (the root `npm run codegen` generates this output too).
 */
export const FRONTEND_GQL_DIR = 'examples/frontend/src/gql/';

export const frontendClientOutput: OutputConfig = {
  preset: 'client',
  documents: ['examples/frontend/src/operations/**/*.graphql'],
  presetConfig: {
    // Operations here select plain fields; fragment masking only adds ceremony for them.
    fragmentMasking: false,
  },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    // NodeNext resolution wants explicit `.js` extensions in the generated imports.
    emitLegacyCommonJSImports: false,
    // What arrives over JSON: DateTime is an ISO string, Long a JSON number.
    scalars: { DateTime: 'string', Long: 'number' },
  },
};

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: { [FRONTEND_GQL_DIR]: frontendClientOutput },
};

export default config;
