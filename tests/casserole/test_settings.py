"""Settings come only from the environment. These tests load them in a subprocess with a crafted
environment, because the test process itself runs with the relaxed test environment
(casserole/pytest_env.py) and settings cannot be re-imported in place."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The test environment relaxes these for the test client; production must not inherit them.
_TEST_ONLY = {
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "TASKS_BACKEND",
    "EMAIL_MODE",
    "CACHE_MODE",
    "REDIS_URL",
    "DATABASE_URL",
    "BEHIND_PROXY",
}


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="casserole.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="casserole.example",
        CASSEROLE_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


_LOAD_SETTINGS = "from django.conf import settings; settings.DEBUG"


def test_production_environment_loads(tmp_path):
    result = run_python(_LOAD_SETTINGS, production_env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_missing_secret_key_with_debug_off_stops_start_up(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_python(_LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_short_secret_key_with_debug_off_stops_start_up(tmp_path):
    result = run_python(_LOAD_SETTINGS, production_env(tmp_path, SECRET_KEY="too-short"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "extra"),
    [
        ("DEBUG", "maybe", {}),
        ("EMAIL_PORT", "twenty-five", {"EMAIL_MODE": "smtp"}),
        ("EMAIL_PORT", "0", {"EMAIL_MODE": "smtp"}),
        ("TIME_ZONE", "Mars/Olympus_Mons", {}),
        ("DATABASE_URL", "mysql://user@db/casserole", {}),
        ("GEOCODER", "google", {}),
        ("EMAIL_MODE", "carrier-pigeon", {}),
        ("SESSION_COOKIE_AGE", "soon", {}),
        ("CACHE_MODE", "memcached", {}),
        ("REDIS_URL", "http://cache:6379", {}),
        ("BEHIND_PROXY", "perhaps", {}),
    ],
)
def test_bad_environment_value_stops_start_up_and_names_the_variable(tmp_path, variable, value, extra):
    result = run_python(_LOAD_SETTINGS, production_env(tmp_path, **{variable: value}, **extra))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured"), result.stderr
    assert variable in last_line


def test_deploy_check_passes_with_production_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


_PRINT_PRODUCTION_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
from django.db import connection

validators = {v["NAME"].rsplit(".", 1)[-1]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS}
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout_ms = cursor.fetchone()[0]
print(json.dumps({
    "hasher": settings.PASSWORD_HASHERS[0],
    "validators": validators,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts_seconds": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "debug": settings.DEBUG,
    "cache": settings.CACHES["default"]["BACKEND"],
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "journal_mode": journal_mode,
    "busy_timeout_ms": busy_timeout_ms,
}))
"""


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = run_python(_PRINT_PRODUCTION_SETTINGS, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["var_dir"] = str(tmp_path)
    print(json.dumps(values, indent=2))
    return values


def test_production_hashes_passwords_with_argon2_first(production_settings):
    assert production_settings["hasher"] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_passwords_need_twelve_characters_and_are_checked_against_common_ones(production_settings):
    validators = production_settings["validators"]
    assert validators["MinimumLengthValidator"]["min_length"] >= 12
    assert "CommonPasswordValidator" in validators


def test_production_cookies_are_secure_httponly_and_samesite(production_settings):
    assert production_settings["debug"] is False
    assert production_settings["session_secure"] is True
    assert production_settings["session_httponly"] is True
    assert production_settings["session_samesite"] in {"Lax", "Strict"}
    assert production_settings["csrf_secure"] is True
    assert production_settings["ssl_redirect"] is True


def test_production_rate_limit_cache_is_shared_between_processes(production_settings):
    # allauth's rate-limit counters must not live in one worker's memory.
    assert production_settings["cache"] != "django.core.cache.backends.locmem.LocMemCache"


def test_production_sends_hsts_for_a_year_with_subdomains(production_settings):
    assert production_settings["hsts_seconds"] >= 31536000
    assert production_settings["hsts_subdomains"] is True


def test_default_database_is_sqlite_in_var_dir_with_wal_immediate_and_busy_timeout(production_settings):
    assert production_settings["engine"] == "django.db.backends.sqlite3"
    assert production_settings["db_name"].startswith(production_settings["var_dir"])
    options = production_settings["db_options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    # Asked of a real connection, not read from the settings.
    assert production_settings["journal_mode"] == "wal"
    assert production_settings["busy_timeout_ms"] >= 20_000
