# patient-graph image: the gateway, hospital source services and the VSS simulator all run from it
# (`node dist/cli/main.js <command>`; the compose file picks the command).
# Node.js 22 LTS (maintenance until April 2027): Node 20 reached its end of life in April 2026 and
# gets no security fixes. The code also runs on Node 20, which development and CI machines have.

# --- build: dev dependencies + tsc -------------------------------------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependency install scripts are denied in package.json `allowScripts` (npm 11); the image's npm
# does not read that field, so --ignore-scripts keeps the same behaviour.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY contracts ./contracts
COPY subgraphs ./subgraphs
COPY adapters ./adapters
COPY gateway ./gateway
COPY cli ./cli
COPY demo ./demo
COPY bench ./bench
COPY bin ./bin
# `npm run build` = tsc + bin/copyContracts.js (the contract SDL is read next to the compiled modules).
RUN npm run build \
 && test -f dist/contracts/clinical.graphql \
 && test -f dist/cli/main.js

# --- runtime: production dependencies + dist ---------------------------------------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=true \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# `node bin/patient-graph.js …` also works in the image: with no cli/main.ts it runs dist/cli/main.js.
COPY bin ./bin
# Local state (.patient-graph/, see .gitignore) lives under the working directory; owned by `node`.
RUN mkdir -p /app/.patient-graph && chown node:node /app/.patient-graph
# The gateway's audit checkpoint directory (deploy/gateway.yaml, docs/audit.md): a new named volume
# mounted here starts with this owner and mode, so only `node` can read or replace the checkpoint.
RUN mkdir -p /var/lib/patient-graph && chown node:node /var/lib/patient-graph && chmod 0700 /var/lib/patient-graph
USER node
EXPOSE 4000
CMD ["node", "dist/cli/main.js", "gateway"]
