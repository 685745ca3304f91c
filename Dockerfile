# syntax=docker/dockerfile:1
# Build stage: exact dependencies from the lockfile, generated code checked, one bundle per entry point in dist/
# (scripts/build.ts). codegen.ts reads examples/ (the frontend example's generated client is checked too).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json codegen.ts ./
COPY schema ./schema
COPY examples ./examples
COPY scripts ./scripts
COPY src ./src
RUN npm run codegen:check && npm run build && npm prune --omit=dev

# The AWS emulator alone (`docker build --target emulator`, compose's `emulator` service). Its bundle is
# self-contained: no node_modules, no gateway. Demo data unless EMULATOR_FIXTURES names a mounted file.
FROM node:20-bookworm-slim AS emulator
ENV NODE_ENV=production EMULATOR_HOST=0.0.0.0 EMULATOR_PORT=4566
WORKDIR /app
COPY --from=build --chown=node:node /app/dist/emulator.js /app/dist/emulator.js.map ./dist/
USER node
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD node -e "fetch('http://127.0.0.1:'+(process.env.EMULATOR_PORT||4566)+'/_emulator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/emulator.js"]

# The gateway, the default target: production dependencies, its bundle and the schema only (no emulator code, no
# demo data), run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS gateway
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/gateway.js /app/dist/gateway.js.map /app/dist/gateway.js.LEGAL.txt ./dist/
COPY --chown=node:node package.json ./
COPY --chown=node:node schema ./schema
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# As `npm start` runs it (the packaging test holds them equal): a young generation of 16 MB rather than Node's 32
# (README, "Memory"); no --enable-source-maps, since the first stack trace it formats decodes the whole map into the
# heap (about 80 MB, for good). The map ships for debugging: docker run -e NODE_OPTIONS=--enable-source-maps ...
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/gateway.js"]
