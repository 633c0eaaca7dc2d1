# Web UI image: the built static files behind nginx, as a non-root user. /config.json is written at start from
# GRAPHQL_URL (the control plane's GraphQL URL as browsers reach it; default: same origin /graphql).
ARG NODE_IMAGE=node:24-bookworm-slim
ARG DEBIAN_IMAGE=debian:bookworm-slim

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
COPY web web
RUN npx -y pnpm@10.34.9 --filter @gw/web run build

FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light curl \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/conf.d \
 && groupadd --gid 1000 web && useradd --uid 1000 --gid 1000 --no-create-home --shell /usr/sbin/nologin web
COPY deploy/docker/web/nginx.conf /etc/nginx/nginx.conf
COPY deploy/docker/web/entrypoint.sh /usr/local/bin/web-entrypoint
COPY --from=build /src/web/dist /srv/web
ENV GRAPHQL_URL=/graphql
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
# SIGQUIT: nginx finishes the requests in flight, then exits.
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/local/bin/web-entrypoint"]
