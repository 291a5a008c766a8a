"""The retention schedule is the one home of how long personal data is kept: every model with words in it is
in a kind (or named as about nobody), docs/production.md lists every kind with its setting and default, the
settings' defaults are the schedule's, and the privacy page renders from it in both languages."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from casserole.names import AddressedName, addressed
from casserole.retention import ERASED, NOT_PERSONAL, SCHEDULE, kind, settings_defaults, shown_name
from casserole.templatetags.casserole_tags import bdi, no_bidi
from tests.casserole.test_settings import production_env, run_python

ROOT = Path(__file__).resolve().parents[2]


def free_text_fields(model) -> list[str]:
    """Columns that can hold words someone wrote or a name: text, JSON, email, IP, and characters
    without a fixed set of choices."""
    found = []
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, models.GeneratedField) or model_field.choices:
            continue
        if isinstance(
            model_field, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField
        ):
            found.append(model_field.name)
    return found


def test_kinds_have_unique_keys_and_settings_that_exist():
    keys = [item.key for item in SCHEDULE]
    assert len(keys) == len(set(keys))
    for item in SCHEDULE:
        assert isinstance(getattr(settings, item.setting), int), item.setting
        assert kind(item.key) is item


def test_every_model_named_by_the_schedule_exists():
    labels = {model._meta.label_lower for model in apps.get_models()}
    named = {label for item in SCHEDULE for label in item.models} | set(NOT_PERSONAL)
    assert named - labels == set()


def test_every_model_with_free_text_is_in_the_schedule_or_about_nobody():
    covered = {label for item in SCHEDULE for label in item.models} | set(NOT_PERSONAL)
    missing = {
        model._meta.label_lower: free_text_fields(model)
        for model in apps.get_models()
        if free_text_fields(model) and model._meta.label_lower not in covered
    }
    assert missing == {}


def test_docs_list_every_kind_with_its_setting_and_default():
    docs = (ROOT / "docs" / "production.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in docs.splitlines() if line.startswith("| ")}
    for item in SCHEDULE:
        assert item.key in rows, f"docs/production.md has no row for {item.key}"
        assert f"`{item.setting}`" in rows[item.key]
        assert f"`{item.default_days}`" in rows[item.key]
        # Every setting is in the environment variables' table too.
        assert f"`{item.setting}`" in docs.split("## Environment variables")[1]


def test_settings_default_to_the_schedule(tmp_path):
    env = {k: v for k, v in production_env(tmp_path).items() if "RETENTION" not in k}
    code = (
        "import json; from django.conf import settings; from casserole.retention import settings_defaults; "
        "print(json.dumps({name: getattr(settings, name) for name in settings_defaults()}))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == settings_defaults()


def test_a_setting_changes_the_period(settings):
    settings.RETENTION_DINER_DAYS = 400
    with translation.override("en"):
        assert kind("diner").period() == "400 days after the person stops receiving meals"
        assert kind("proxies").period() == "400 days after the person stops receiving meals"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_privacy_page_shows_the_schedule_with_the_configured_periods(client, settings, language):
    settings.RETENTION_DINER_DAYS = 400
    settings.RETENTION_AUDIT_DAYS = 1
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override(language):
        for item in SCHEDULE:
            assert str(item.what) in page
            assert item.period() in page
            assert str(item.end.label) in page
        assert "400" in kind("diner").period() and "1" in kind("audit").period()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"), [("en", "at the latest after 3 days."), ("ja", "遅くとも3日後には削除します。")]
)
def test_the_privacy_page_says_when_identity_photos_go_from_the_setting(client, settings, language, said):
    settings.IDENTITY_IMAGE_RETENTION_DAYS = 3
    page = client.get(f"/{language}/privacy/").content.decode()
    assert said in page and "7日後" not in page and "after 7 days" not in page


@pytest.mark.parametrize(("language", "shown"), [("en", "[erased]"), ("ja", "（消去済み）")])
def test_an_erased_name_is_shown_in_the_readers_language_with_no_honorific(language, shown):
    """The stored placeholder (never translated) reads in the page's language wherever a name is shown:
    the `bdi` and `no_bidi` filters and casserole.names, which adds no さん or 様 to it."""
    with translation.override(language):
        assert shown_name(ERASED) == shown and shown_name("Edie") == "Edie"
        assert bdi(ERASED) == f"<bdi>{shown}</bdi>" and no_bidi(ERASED) == shown
        assert str(AddressedName(ERASED, form="様")) == shown
        assert str(AddressedName(ERASED, formal=True, full_name=ERASED)) == shown
    assert addressed(ERASED, language=language) == shown
