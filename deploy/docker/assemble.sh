#!/bin/sh
# Copy into DEST only what one app's image needs: its own package and shared/ (the gateway: gateway/, console/
# and shared/). Tests and caches are left out. Used by the Dockerfile and by tests/deploy (no engine needed).
#
#   assemble.sh APP SRC DEST     APP: gateway | renovation | jobs | community | chronic_care
set -eu

if [ "$#" -ne 3 ]; then
    echo "usage: assemble.sh APP SRC DEST" >&2
    exit 64
fi
app=$1
src=$2
dest=$3

case "$app" in
    gateway)
        parts="gateway console"
        ;;
    renovation | jobs | community | chronic_care)
        parts="services/__init__.py services/$app"
        ;;
    *)
        echo "assemble.sh: APP must be one of gateway, renovation, jobs, community, chronic_care (got '$app')" >&2
        exit 64
        ;;
esac

for part in shared $parts; do
    if [ ! -e "$src/$part" ]; then
        echo "assemble.sh: $src/$part is missing: is SRC the repository root?" >&2
        exit 66
    fi
    mkdir -p "$dest/$(dirname "$part")"
    cp -R "$src/$part" "$dest/$part"
done

# Tests, caches and local databases never go into an image.
find "$dest" -depth \( -type d \( -name tests -o -name __pycache__ -o -name .pytest_cache \) \
    -o -type f \( -name '*.pyc' -o -name '*.db' -o -name '*.db-wal' -o -name '*.db-shm' \) \) \
    -exec rm -rf {} +
