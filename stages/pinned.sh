#!/bin/sh
# Run a stage command with the floating-point pins of nndl/pipeline/pins.env set, before the
# interpreter starts (glibc reads its tunables only then): `sh stages/pinned.sh python -m
# stages.<name>`, as dvc.yaml does. A user's other glibc tunables are kept.
pins="$(dirname "$0")/../nndl/pipeline/pins.env"
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    '' | '#'*) ;;
    -*) unset "${line#-}" ;;
    GLIBC_TUNABLES+=*) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}${line#*+=}" ;;
    *=*) export "${line%%=*}=${line#*=}" ;;
  esac
done <"$pins"
exec "$@"
