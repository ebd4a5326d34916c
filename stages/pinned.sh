#!/bin/sh
# Run a stage command with the floating-point pins of nndl/pipeline/pins.env set, before the
# interpreter starts (glibc reads its tunables only then): `sh stages/pinned.sh python -m
# stages.<name>`, as dvc.yaml does. A user's other glibc tunables are kept. `python` is the
# project's .venv/bin/python if there is one.
pins="$(dirname "$0")/../nndl/pipeline/pins.env"
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    '' | '#'*) ;;
    -*) unset "${line#-}" ;;
    GLIBC_TUNABLES+=*) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}${line#*+=}" ;;
    *=*) export "${line%%=*}=${line#*=}" ;;
  esac
done <"$pins"
# The project's own interpreter, where `make` installed it: a `dvc` started without the venv
# active (`.venv/bin/dvc repro`) would otherwise run the stages with the system's python.
venv="$(dirname "$0")/../.venv/bin/python"
if [ "$1" = python ] && [ -x "$venv" ]; then
  shift
  set -- "$venv" "$@"
fi
exec "$@"
