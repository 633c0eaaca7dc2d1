#!/bin/sh
# Writes /config.json from GRAPHQL_URL, then runs nginx in the foreground (it receives the container's signals).
set -eu
url="${GRAPHQL_URL:-/graphql}"
case "$url" in
  *'"'* | *'\'* | *'
'*)
    echo "GRAPHQL_URL must not contain quotes, backslashes or newlines" >&2
    exit 1
    ;;
esac
mkdir -p /tmp/web
printf '{"graphqlUrl":"%s"}\n' "$url" > /tmp/web/config.json
exec nginx -g 'daemon off;'
