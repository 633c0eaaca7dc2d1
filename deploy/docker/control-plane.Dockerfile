# Control plane image: built from the repository root (`docker build -f deploy/docker/control-plane.Dockerfile .`).
# NODE_IMAGE may name any Debian-based image with Node 24 and npm (deploy/docker/README.md: building offline).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true
# Manifests first, so that the dependency layer is reused while only sources change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json ./
COPY schema/package.json schema/
COPY control-plane/package.json control-plane/
COPY data-plane/package.json data-plane/
COPY web/package.json web/
COPY test/package.json test/
COPY loadtest/package.json loadtest/
RUN npx -y pnpm@10.34.9 install --frozen-lockfile
COPY schema schema
COPY control-plane control-plane
RUN npx -y pnpm@10.34.9 --filter "@gw/control-plane..." run build \
 && npx -y pnpm@10.34.9 --filter @gw/control-plane deploy --prod --legacy /out \
 && rm -rf /out/src /out/*.test.ts /out/vitest.config.* /out/tsconfig*.json

FROM ${NODE_IMAGE}
ENV NODE_ENV=production CP_HOST=0.0.0.0 CP_PORT=4000
WORKDIR /app
# Owned by root and read-only to the service user: the process cannot change its own code.
COPY --from=build /out /app
COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs
USER 1000:1000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.mjs", "/readyz"]
# main.ts stops on SIGTERM: closes websockets and its PostgreSQL pool, exits within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
