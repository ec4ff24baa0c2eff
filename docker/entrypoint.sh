#!/bin/sh
# Entry point of the web image: prepare the container, then become its command
# (gunicorn by default), so that the command receives the container's signals.
#
#   RUN_MIGRATIONS=1 (default)  apply the database migrations first; set it to 0
#                               where a separate one-shot step migrates (the
#                               compose file does), so that hosts starting
#                               together do not race on the schema.
#   PYTHON                      the interpreter (default: python)
set -eu

python="${PYTHON:-python}"

if [ "${RUN_MIGRATIONS:-1}" = "1" ]; then
  "$python" manage.py migrate --noinput
fi
# Static files are served by the service itself (WhiteNoise), from STATIC_ROOT.
"$python" manage.py collectstatic --noinput --verbosity 0

exec "$@"
