"""50 writers at once on the default SQLite configuration → no "database is locked".

The test database may be in memory, so the writers run in a subprocess against a fresh file
database configured exactly as production is (casserole.env.env_database with DATABASE_URL unset)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

_WRITERS = """
import json
import threading

import django
django.setup()
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

THREADS, WRITES = 50, 10
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
    cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
    cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, writer INTEGER, body TEXT)")

errors = []
start = threading.Barrier(THREADS)


def writer(number):
    try:
        start.wait()
        for _ in range(WRITES):
            # Read then write in one transaction: the pattern that deadlocks under DEFERRED.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                value = cursor.fetchone()[0]
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
                cursor.execute("INSERT INTO note (writer, body) VALUES (%s, %s)", [number, "x" * 200])
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connections.close_all()


threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    counter = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM note")
    notes = cursor.fetchone()[0]
print(json.dumps({"errors": errors, "counter": counter, "notes": notes, "expected": THREADS * WRITES}))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer lock only; PostgreSQL has row locks")
def test_fifty_concurrent_writers_never_see_database_is_locked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="casserole.settings", CASSEROLE_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", _WRITERS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert [e for e in outcome["errors"] if "locked" in e] == []
    assert outcome["errors"] == []
    # No lost update: every read-modify-write saw the previous one.
    assert outcome["counter"] == outcome["expected"]
    assert outcome["notes"] == outcome["expected"]
