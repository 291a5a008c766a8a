import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from accounts.onboarding.models import IdentityCheck
from casserole import audit
from casserole.models import AuditEntry

# Where audit entries are written from; tests may build their own entries through record() only.
CODE_DIRS = ("accounts", "casserole", "meals", "training")


@pytest.mark.parametrize("action", list(audit.Action), ids=lambda action: action.value)
def test_every_action_has_a_label_in_english_and_japanese(action):
    with translation.override("en"):
        english = str(audit.label(action))
    with translation.override("ja"):
        japanese = str(audit.label(action))

    assert english.strip() and japanese.strip()
    assert action.value not in (english, japanese)
    assert japanese != english


def test_every_action_fits_the_column():
    longest = max(len(action.value) for action in audit.Action)
    assert longest <= AuditEntry._meta.get_field("action").max_length


def test_label_takes_the_stored_string():
    with translation.override("en"):
        assert audit.label("identity_stripe_replaced_by_photo") == "Online identity check replaced by an identity photo"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_action_the_registry_no_longer_knows_shows_as_words(language):
    with translation.override(language):
        shown = str(audit.label("cook_waved_goodbye"))
    assert "cook waved goodbye" in shown
    assert "cook_waved_goodbye" not in shown


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["cook_waved_goodbye", "signed_in", ""])
def test_record_refuses_anything_but_a_registry_member(cook, action):
    with pytest.raises(TypeError):
        audit.record(action=action, actor=cook)
    assert not AuditEntry.objects.exists()


def _python_files():
    root = Path(settings.BASE_DIR)
    for folder in CODE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield root, path


def _action_keywords():
    for root, path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        yield f"{path.relative_to(root)}:{keyword.value.lineno}", node, keyword.value


def _is_audit_record(call: ast.Call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "record" and getattr(func.value, "id", "") == "audit"


def test_no_audit_action_is_built_from_text():
    """Every audit action in the code is a registry member (`audit.Action.X`), never a string literal
    or an f-string: the registry is the one list of what can be recorded, and each has a label."""
    values = set(audit.Action.values)
    found = []
    for where, call, value in _action_keywords():
        if isinstance(value, ast.JoinedStr):
            found.append(f'{where}: action=f"..."')
        elif isinstance(value, ast.Constant) and (_is_audit_record(call) or value.value in values):
            found.append(f"{where}: action={value.value!r}")
    assert found == []


def test_the_scan_finds_the_audit_calls():
    # Guards the test above against scanning nothing (a moved folder, a renamed helper).
    calls = [call for _where, call, _value in _action_keywords() if _is_audit_record(call)]
    assert len(calls) > 50


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "cancelled", "replaced"),
    [
        ("en", "Online identity check cancelled by the cook", "Online identity check replaced by an identity photo"),
        ("ja", "料理ボランティアがオンラインの本人確認を取り消し", "オンラインの本人確認を写真による確認に切り替え"),
    ],
)
def test_the_cooks_page_names_every_entry(login_as, coordinator_a, cook, language, cancelled, replaced):
    check = IdentityCheck.objects.create(cook=cook, method=IdentityCheck.Method.STRIPE)
    audit.record(action=audit.Action.IDENTITY_STRIPE_CANCELLED_BY_COOK, actor=cook, obj=check, area=cook.home_area)
    audit.record(action=audit.Action.IDENTITY_STRIPE_REPLACED_BY_PHOTO, actor=cook, obj=check, area=cook.home_area)

    html = login_as(coordinator_a).get(f"/{language}/coordinator/cooks/{cook.pk}/").content.decode()

    assert cancelled in html
    assert replaced in html
    assert "identity_stripe_" not in html
