#!/usr/bin/env bash
# Builds the three images from the repository root: llm-gateway/{control-plane,data-plane,web}:${TAG:-latest}.
set -euo pipefail
cd "$(dirname "$0")/../.."
tag=${TAG:-latest}
for image in control-plane data-plane web; do
  docker build --network host -f "deploy/docker/$image.Dockerfile" -t "llm-gateway/$image:$tag" .
done
