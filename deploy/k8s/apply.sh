#!/bin/sh
# A release to one environment: deploy/k8s/apply.sh dev|prod
#
# 1. deletes the previous migration Jobs (a Job's pod template is immutable, and every release migrates),
# 2. applies the overlay (the Deployments' init containers hold new pods until their database is migrated),
# 3. waits for the migrations, then for every rollout.
# Needs kubectl 1.27+ (kustomize built in) and the operators (docs/operations.md, "Kubernetes").
set -eu

overlay="${1:?usage: apply.sh dev|prod}"
dir="$(cd "$(dirname "$0")" && pwd)/overlays/$overlay"
[ -d "$dir" ] || { echo "apply.sh: no overlay $dir" >&2; exit 64; }

namespace="$(kubectl kustomize "$dir" | awk '/^kind: Namespace$/ {ns = 1} ns && /^  name: / {print $2; exit}')"
[ -n "$namespace" ] || { echo "apply.sh: the overlay declares no Namespace" >&2; exit 65; }

echo "== $overlay -> namespace $namespace"
kubectl -n "$namespace" delete job -l minsheng/role=migration --ignore-not-found --wait=true
kubectl apply -k "$dir"

echo "== migrations"
kubectl -n "$namespace" wait job -l minsheng/role=migration --for=condition=complete --timeout=15m

echo "== rollouts"
for app in gateway renovation jobs community chronic-care; do
    kubectl -n "$namespace" rollout status "deployment/$app" --timeout=10m
done
echo "== done"
