#!/bin/sh
# Prints the path of a Python >= 3.12 interpreter, or explains what to install and fails.
# Order: $PYTHON, python3.13 / python3.12 on PATH (only if they really run), then pyenv's versions.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON" || echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python >= 3.12." >&2; exit 1
fi
for candidate in python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then command -v "$candidate"; exit 0; fi
done
for root in "${PYENV_ROOT:-$HOME/.pyenv}" /root/.pyenv /usr/local/pyenv; do
  for candidate in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    if ok "$candidate/bin/python3"; then echo "$candidate/bin/python3"; exit 0; fi
  done
done
cat >&2 <<'MSG'
Casserole needs Python 3.12 or newer, and none was found.
Install one (for example `apt-get install python3.12 python3.12-venv`, or `pyenv install 3.12`),
or point the PYTHON environment variable at it: `make run PYTHON=/path/to/python3.12`.
MSG
exit 1
