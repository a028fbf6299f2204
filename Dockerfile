# One image for the api, the worker and the migration job (the command picks which).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Applied by the postinstall (patch-package): the SDK's promise hook made optional, see patches/.
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# Workers start from a prebuilt workflow bundle instead of bundling at every start.
RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["npx", "tsx", "api/server.ts"]
