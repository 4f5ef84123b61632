#!/bin/sh
# The entrypoint of every Minsheng image. The app is fixed at build time (MINSHENG_APP).
#
#   serve [uvicorn options]        run the app (default): one uvicorn process; scale with replicas, not workers
#   migrate [--revision REV]       apply this app's Alembic migrations (python -m shared.migrate <app> /
#                                  python -m gateway.migrate), reading <PREFIX>DATABASE_URL
#   wait-migrated [--timeout S]    wait until the database is at this image's migration head (init container)
#   healthcheck [PATH]             GET http://127.0.0.1:$PORT/PATH (default healthz); exit 0 on 200
#   anything else                  exec'd as given (e.g. `python -m shared.events.ops lag`)
set -eu

app="${MINSHENG_APP:?MINSHENG_APP must name the app (set in the image)}"
port="${PORT:-8000}"
here="$(dirname "$0")"

case "$app" in
    gateway) factory="gateway.app:create_app" ;;
    renovation | jobs | community | chronic_care) factory="services.$app.app:create_app" ;;
    *)
        echo "entrypoint: unknown MINSHENG_APP '$app'" >&2
        exit 64
        ;;
esac

command="${1:-serve}"
if [ "$#" -gt 0 ]; then
    shift
fi

# The apps refuse their development secrets in production; this also refuses the placeholders of
# deploy/compose/.env.example and the dev overlay, in case a copy went out unedited. Only names are printed.
if [ "${MINSHENG_ENVIRONMENT:-development}" = production ]; then
    placeholders="$(env | grep -E '^[A-Za-z_][A-Za-z0-9_]*=.*(change-me|dev-only-)' | cut -d= -f1 | tr '\n' ' ' || true)"
    if [ -n "$placeholders" ]; then
        echo "entrypoint: refusing to run in production with placeholder values in: $placeholders" >&2
        exit 78
    fi
fi

case "$command" in
    serve)
        # Keep-alive longer than the callers' idle timeouts (ingress-nginx 60 s, the gateway's pool 15 s), so a
        # pooled connection is never closed under a request. On SIGTERM uvicorn stops accepting, finishes the
        # requests in flight (up to the graceful timeout), then the app's lifespan stops consumers and the relay.
        exec uvicorn --factory "$factory" --host 0.0.0.0 --port "$port" --no-access-log \
            --timeout-keep-alive "${MINSHENG_KEEPALIVE_SECONDS:-75}" \
            --timeout-graceful-shutdown "${MINSHENG_GRACEFUL_SECONDS:-20}" "$@"
        ;;
    migrate)
        if [ "$app" = gateway ]; then
            exec python -m gateway.migrate "$@"
        fi
        exec python -m shared.migrate "$app" "$@"
        ;;
    wait-migrated)
        exec python "$here/wait_migrated.py" "$app" "$@"
        ;;
    healthcheck)
        exec python -c 'import sys, urllib.request
url = "http://127.0.0.1:%s/%s" % (sys.argv[1], sys.argv[2].lstrip("/"))
try:
    ok = urllib.request.urlopen(url, timeout=3).status == 200
except Exception as exc:
    print("healthcheck %s: %s" % (url, exc), file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)' "$port" "${1:-healthz}"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
