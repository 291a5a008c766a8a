"""Loaded by pytest (`-p casserole.pytest_env`) before Django's settings: the test environment.

Production settings are checked separately by tests that load them in a subprocess."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-the-settings-check-0123")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("EMAIL_MODE", "console")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CACHE_MODE", "memory")
os.environ.setdefault("CASSEROLE_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))
