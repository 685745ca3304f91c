# syntax=docker/dockerfile:1
# Build stage: install exact dependencies from the lockfile and check the generated code is current.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json codegen.ts ./
COPY schema ./schema
COPY src ./src
RUN npm run codegen:check
RUN npm prune --omit=dev

# Runtime stage: production dependencies and sources only, run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --chown=node:node schema ./schema
COPY --chown=node:node src ./src
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["gateway"]
