# Data plane image: built from the repository root (`docker build -f deploy/docker/data-plane.Dockerfile .`).
# It runs its TypeScript sources directly (Node 24 strips the types), as `node data-plane/src/main.ts` does.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY schema/package.json schema/
COPY control-plane/package.json control-plane/
COPY data-plane/package.json data-plane/
COPY web/package.json web/
COPY test/package.json test/
COPY loadtest/package.json loadtest/
RUN npx -y pnpm@10.34.9 install --frozen-lockfile
COPY schema schema
COPY data-plane data-plane
RUN npx -y pnpm@10.34.9 --filter @gw/schema run build \
 && npx -y pnpm@10.34.9 --filter @gw/data-plane deploy --prod --legacy /out \
 && find /out/src -name '*.test.ts' -delete && rm -rf /out/src/test-support

FROM ${NODE_IMAGE}
ENV NODE_ENV=production DP_HOST=0.0.0.0 DP_PORT=8080 DP_STATE_DIR=/var/lib/gateway/data-plane
WORKDIR /app
COPY --from=build /out /app
COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs
# The state dir (snapshot, usage spool) must be the service user's own, mode 0700: the data plane checks.
RUN mkdir -p /var/lib/gateway/data-plane && chown -R 1000:1000 /var/lib/gateway && chmod 0700 /var/lib/gateway/data-plane
VOLUME /var/lib/gateway/data-plane
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.mjs", "/readyz"]
# SIGTERM drains: no new connections, requests and streams in flight finish (SHUTDOWN_GRACE_MS), usage is sent.
STOPSIGNAL SIGTERM
CMD ["node", "src/main.ts"]
