#!/usr/bin/env bash
# Backup and restore check (run once by hand; docs/operations.md): quick start on an external PostgreSQL 15, load, pg_dump + state-dir copy,
# restore into a new database and a new folder, start again and check keys, config and usage survived.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}  # a superuser URL without database; pg_dump must match its major version
psql "$PG/postgres" -qc 'drop database if exists gw_backup_src' -c 'drop database if exists gw_backup_dst' -c 'create database gw_backup_src' -c 'create database gw_backup_dst'
rm -rf /tmp/gw-bk-src /tmp/gw-bk-dst; mkdir -p /tmp/gw-bk-src; chmod 755 /tmp/gw-bk-src
start() { # $1 home $2 db
  env GATEWAY_HOME=$1 DATABASE_URL=$PG/$2 CP_PORT=14100 DP_PORT=18180 WEB_PORT=15273 DEMO_PROVIDER_PORT=19200 setsid node_modules/.bin/node scripts/start.ts > $1.log 2>&1 &
  echo $! > $1.pid
  for i in $(seq 90); do grep -q 'Press Ctrl-C' $1.log && return 0; sleep 1; done; tail -20 $1.log; return 1
}
stop() { kill -INT -- -$(cat $1.pid); for i in $(seq 30); do kill -0 $(cat $1.pid) 2>/dev/null || return 0; sleep 1; done; }
requests() { # $1 home
  local tok=$(node_modules/.bin/node -p "require('$1/quickstart.json').adminToken")
  curl -s http://127.0.0.1:14100/graphql -H "authorization: Bearer $tok" -H 'content-type: application/json' \
    -d '{"query":"{ usageByOrg { nodes { orgName totals { requests } } } }"}'
}
start /tmp/gw-bk-src gw_backup_src
KEY=$(node_modules/.bin/node -p "require('/tmp/gw-bk-src/quickstart.json').demoKey")
node_modules/.bin/node loadtest/src/main.ts --url http://127.0.0.1:18180/v1 --key $KEY -n 25 -c 5 --no-progress | grep -E 'requests  |success'
sleep 2; echo "usage before backup: $(requests /tmp/gw-bk-src)"
stop /tmp/gw-bk-src
echo "== backup"
pg_dump --format=custom --file=/tmp/gw-bk.dump $PG/gw_backup_src
tar -C /tmp/gw-bk-src -czf /tmp/gw-bk-home.tgz secrets.json demo-seed.json data-plane
ls -la /tmp/gw-bk.dump /tmp/gw-bk-home.tgz
echo "== restore into gw_backup_dst and /tmp/gw-bk-dst"
pg_restore --no-owner --dbname=$PG/gw_backup_dst /tmp/gw-bk.dump
mkdir -p /tmp/gw-bk-dst; chmod 755 /tmp/gw-bk-dst; tar -C /tmp/gw-bk-dst -xzf /tmp/gw-bk-home.tgz
start /tmp/gw-bk-dst gw_backup_dst
grep -c 'seeding it again' /tmp/gw-bk-dst.log || true
grep -o '"source":"[a-z-]*"' /tmp/gw-bk-dst.log | head -2 || true
echo "usage after restore: $(requests /tmp/gw-bk-dst)"
curl -s -o /dev/null -w 'demo key after restore: HTTP %{http_code}\n' http://127.0.0.1:18180/v1/chat/completions -H "authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"restored"}]}'
stop /tmp/gw-bk-dst
psql "$PG/postgres" -qc 'drop database gw_backup_src' -c 'drop database gw_backup_dst'
