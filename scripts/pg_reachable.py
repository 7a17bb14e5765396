"""Exit 0 when the PostgreSQL at the given URL accepts connections, else 1 (for make test)."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except psycopg.Error as exc:
    sys.stderr.write(f"PostgreSQL unreachable at {sys.argv[1]}: {exc}".strip() + "\n")
    sys.exit(1)
