#!/bin/sh
# Waits until the Temporal frontend serves, then registers the namespace the app uses.
# Idempotent: an existing namespace is left alone. (The app registers its own search
# attributes at start.)
#   TEMPORAL_ADDRESS   frontend host:port
#   NAMESPACE          namespace to register
#   RETENTION          how long closed workflow histories are kept (e.g. 72h, 30d)
#   MAX_ATTEMPTS, RETRY_DELAY  how long to wait for the server (attempts, seconds apart)
set -eu

address=${TEMPORAL_ADDRESS:-temporal:7233}
namespace=${NAMESPACE:-default}
retention=${RETENTION:-72h}
max_attempts=${MAX_ATTEMPTS:-60}
retry_delay=${RETRY_DELAY:-2}

retry() {
  what=$1
  shift
  attempt=1
  until "$@" >/dev/null 2>&1; do
    if [ "$attempt" -ge "$max_attempts" ]; then
      echo "Gave up waiting for $what after $max_attempts attempts" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep "$retry_delay"
  done
}

retry "Temporal at $address to serve" temporal operator cluster health --address "$address"

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "Namespace '$namespace' already exists"
else
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"
  echo "Namespace '$namespace' created (retention $retention)"
fi
# A new namespace reaches every frontend's cache a few seconds after creation.
retry "namespace '$namespace'" temporal operator namespace describe --address "$address" --namespace "$namespace"

