"""Personas shared by every test. Objects live in area A unless a test says otherwise."""

import pytest
from django.test import Client

from tests.factories import AreaFactory, CoordinatorFactory, UserFactory, add_totp, loaded_course
from tests.stripe_fake import stripe_fake, stripe_off  # noqa: F401  (fixtures for every test)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 stays first in production (tested in tests/casserole/test_settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    """Each test gets its own private storage for identity photos, so files can be counted."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "location": str(location)},
        },
    }
    return location


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    # A /ja/ request activates Japanese for the thread; the next test must start in English.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate-limit counters in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _texts_in_memory(settings):
    # Texts go to casserole.texts.outbox, as email goes to django.core.mail.outbox: nothing leaves.
    from casserole import texts

    settings.TEXT_BACKEND = "locmem"
    settings.TEXT_LOCMEM_FAIL = False
    texts.outbox.clear()
    yield
    texts.outbox.clear()


# Builders, so a module-scoped fixture can make the same personas once (see tests/test_access_matrix.py).


def make_area_a():
    return AreaFactory(name="Area A", slug="area-a")


def make_area_b():
    return AreaFactory(name="Area B", slug="area-b", country="JP", help_phone="03-1234-5678")


def make_cook(area_a):
    return UserFactory(full_name="Cathy Cook", email="cook@example.org", is_cook=True, home_area=area_a)


def make_referrer(area_a):
    return UserFactory(full_name="Rita Referrer", email="referrer@example.org", is_referrer=True, home_area=area_a)


def make_coordinator_a(area_a):
    user = CoordinatorFactory(full_name="Ada Coordinator", email="coord-a@example.org", areas=[area_a])
    add_totp(user)
    return user


def make_coordinator_b(area_b):
    user = CoordinatorFactory(full_name="Ben Coordinator", email="coord-b@example.org", areas=[area_b])
    add_totp(user)
    return user


def make_admin_user():
    user = UserFactory(full_name="Alex Admin", email="admin@example.org", is_staff=True, is_superuser=True)
    add_totp(user)
    return user


@pytest.fixture
def area_a(db):
    return make_area_a()


@pytest.fixture
def area_b(db):
    return make_area_b()


@pytest.fixture
def cook(db, area_a):
    return make_cook(area_a)


@pytest.fixture
def second_cook(db, area_a):
    return UserFactory(full_name="Colin Cook", email="cook2@example.org", is_cook=True, home_area=area_a)


@pytest.fixture
def referrer(db, area_a):
    return make_referrer(area_a)


@pytest.fixture
def coordinator_a(db, area_a):
    return make_coordinator_a(area_a)


@pytest.fixture
def coordinator_b(db, area_b):
    return make_coordinator_b(area_b)


@pytest.fixture
def admin_user(db):
    return make_admin_user()


@pytest.fixture
def course(db):
    """The food-safety course (v1), as loading its files makes it, and current."""
    return loaded_course()


def verified_client(user, **client_options) -> Client:
    """A client signed in as `user` whose session has passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client(**client_options)
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login_as():
    """`login_as(user)` → a test client for that persona (past the second factor where they have one)."""
    return verified_client


def sign_in(client: Client, email: str, password: str, **extra):
    """Sign in through allauth's form, as a person would (a password, not force_login)."""
    return client.post("/en/accounts/login/", {"login": email, "password": password}, **extra)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def unverified_coordinator(db, area_a):
    """A coordinator of area A who has not set up an authenticator yet."""
    return CoordinatorFactory(full_name="Una Unverified", email="coord-new@example.org", areas=[area_a])


def page_body(response) -> str:
    """The HTML with the per-response parts (CSP nonce, masked CSRF token) blanked, so "another
    area's object" and "does not exist" can be compared byte for byte."""
    import re

    html = response.content.decode()
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)
