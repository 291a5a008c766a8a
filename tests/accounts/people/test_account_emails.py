"""Every email allauth sends for us is in our own words (templates/account/email/), in English and in
Japanese: it names the service from settings.SITE_NAME (never from a Site, which would leave "Hello
from !"), gives the help line of the recipient's area, and says what to do next and what to do if it
was not them. Each email is caused the way a person would cause it, through the pages, and read as
allauth rendered it and as it left through our queue."""

import copy
import re
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import allauth
import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template import engines
from django.test import Client
from django.utils import translation

from accounts.people.adapter import AccountAdapter
from tests.conftest import sign_in
from tests.factories import PASSWORD, AreaFactory, UserFactory

pytestmark = pytest.mark.django_db

ALLAUTH_EMAILS = Path(allauth.__file__).parent / "templates" / "account" / "email"
OUR_EMAILS = Path(settings.BASE_DIR) / "templates" / "account" / "email"
BASES = ("base_message", "base_notification")
NEW_PASSWORD = "a new password for the email tests"
MISSING = "MISSING-VARIABLE"


def _allauth_sends(template_prefix: str) -> bool:
    quoted = f'"{template_prefix}"'
    return any(quoted in path.read_text() for path in Path(allauth.__file__).parent.rglob("*.py"))


# allauth emails our settings cannot send, each with the reason, checked so that turning the feature
# on (or an allauth upgrade that starts sending one) fails here until the email has our wording.
NOT_SENT = {
    "password_reset_key": (
        "a forgotten password is reset by a code, never by a link (ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED)",
        lambda: allauth_settings.PASSWORD_RESET_BY_CODE_ENABLED,
    ),
    "login_code": (
        "signing in by an emailed code is off (ACCOUNT_LOGIN_BY_CODE_ENABLED)",
        lambda: not allauth_settings.LOGIN_BY_CODE_ENABLED,
    ),
    "email_confirm": (
        "allauth ships the template but nothing in allauth sends it",
        lambda: not _allauth_sends("account/email/email_confirm"),
    ),
}


# Causing each email -------------------------------------------------------------------------------------
# Each takes the page language, an area and what has been rendered so far; it makes its own people (a
# test runs it once per language) and returns the help phone the recipient should be given.


def _person(area, lang: str, **extra):
    return UserFactory(email=f"cathy.{lang}@example.org", full_name="Cathy Cook", is_cook=True, home_area=area, **extra)


def _signed_in(user) -> Client:
    client = Client()
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    return client


def _sign_up(lang: str, email: str):
    data = {"full_name": "Nora Newcomer", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    Client().post(f"/{lang}/accounts/signup/", {**data, "roles": ["cook"]})


def signup_confirmation(lang, area, rendered):
    _sign_up(lang, f"nora.{lang}@example.org")
    return settings.HELP_PHONE  # a new account has no area yet


def already_registered(lang, area, rendered):
    _sign_up(lang, _person(area, lang).email)
    return area.help_phone


def unknown_address(lang, area, rendered):
    Client().post(f"/{lang}/accounts/password/reset/", {"email": f"nobody.{lang}@example.org"})
    return settings.HELP_PHONE


def reset_code(lang, area, rendered):
    Client().post(f"/{lang}/accounts/password/reset/", {"email": _person(area, lang).email})
    return area.help_phone


def password_reset_done(lang, area, rendered):
    client = Client()
    client.post(f"/{lang}/accounts/password/reset/", {"email": _person(area, lang).email})
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", rendered["password_reset_code"][-1].body, re.MULTILINE)[1]
    client.post(f"/{lang}/accounts/password/reset/confirm/", {"code": code})
    client.post(f"/{lang}/accounts/password/reset/complete/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    return area.help_phone


def password_changed(lang, area, rendered):
    client = _signed_in(_person(area, lang))
    data = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(f"/{lang}/accounts/password/change/", data)
    return area.help_phone


def password_set(lang, area, rendered):
    person = _person(area, lang)
    person.set_unusable_password()
    person.save(update_fields=["password"])
    client = Client()
    client.force_login(person)
    client.post(f"/{lang}/accounts/password/set/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    return area.help_phone


def _second_address(lang: str) -> str:
    return f"cathy.second.{lang}@example.org"


def _with_second_address(lang, area) -> Client:
    client = _signed_in(_person(area, lang))
    client.post(f"/{lang}/accounts/email/", {"action_add": "", "email": _second_address(lang)})
    return client


def address_confirmation(lang, area, rendered):
    _with_second_address(lang, area)
    return area.help_phone


def address_changed(lang, area, rendered):
    client = _with_second_address(lang, area)
    EmailAddress.objects.filter(email=_second_address(lang)).update(verified=True)
    client.post(f"/{lang}/accounts/email/", {"action_primary": "", "email": _second_address(lang)})
    return area.help_phone


def address_removed(lang, area, rendered):
    client = _with_second_address(lang, area)
    client.post(f"/{lang}/accounts/email/", {"action_remove": "", "email": _second_address(lang)})
    return area.help_phone


# allauth's template name → how a person causes it.
FLOWS = {
    "email_confirmation_signup": signup_confirmation,
    "email_confirmation": address_confirmation,
    "account_already_exists": already_registered,
    "unknown_account": unknown_address,
    "password_reset_code": reset_code,
    "password_reset": password_reset_done,
    "password_changed": password_changed,
    "password_set": password_set,
    "email_changed": address_changed,
    "email_deleted": address_removed,
}

# allauth's own sentences (msgids of its templates): neither the English nor its Japanese may show.
STOCK_SENTENCES = [
    "Hello from %(site_name)s!",
    "Thank you for using %(site_name)s!\n%(site_domain)s",
    "You are receiving this mail because the following change was made to your account:",
    "This mail can be safely ignored if you did not initiate this action.",
    "If you do not recognize this change then please take proper security precautions immediately. "
    "The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n"
    "- Date: %(timestamp)s",
    "Your password reset code is listed below. Please enter it in your open browser window.",
]
# Its subjects (its Japanese ones are ordinary phrases that ours may share, so only the English).
STOCK_SUBJECTS = [
    "Please Confirm Your Email Address",
    "Password Reset Code",
    "Account Already Exists",
    "Unknown Account",
    "Password Changed",
    "Password Set",
    "Password Reset",
    "Email Changed",
    "Email Removed",
]
# A variable that rendered as nothing leaves a gap: "from !", "on .", "()", "「」", two spaces.
EMPTY_PLACEHOLDER = re.compile(r"[ \u3000][.,!:;。、！]|\(\s*\)|（\s*）|「\s*」|[^\S\n]{2}")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[ ,.:;'’]+[A-Za-z]{2,}")
URL = re.compile(r"https?://\S+")
ADDRESS = re.compile(r"[A-Za-z0-9.'+-]+@[A-Za-z0-9.-]+")  # ASCII: Japanese text may touch it
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@pytest.fixture
def rendered(monkeypatch):
    """allauth template name → the messages rendered from it, in order."""
    messages: dict[str, list] = {}
    render_mail = AccountAdapter.render_mail

    def recording(self, template_prefix, email, context, headers=None):
        message = render_mail(self, template_prefix, email, context, headers)
        messages.setdefault(template_prefix.removeprefix("account/email/"), []).append(message)
        return message

    monkeypatch.setattr(AccountAdapter, "render_mail", recording)
    return messages


@pytest.fixture
def strict_templates(settings):
    """A variable missing from an email's context shows instead of rendering as nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = f"{MISSING}(%s)"
    settings.TEMPLATES = templates
    assert engines["django"].from_string("{{ nothing }}").render({}) == f"{MISSING}(nothing)"


def send(name: str, lang: str, area, rendered, capture):
    """Cause the email `name` from a page in `lang`: (the message as rendered, the phone it should give)."""
    mail.outbox.clear()
    before = len(rendered.get(name, []))
    with capture(execute=True):
        phone = FLOWS[name](lang, area, rendered)
    assert len(rendered.get(name, [])) > before, f"{name} was not sent"
    message = rendered[name][-1]
    # And it left through our queue as rendered.
    assert [(sent.subject, sent.body) for sent in mail.outbox if sent.subject == message.subject] == [
        (message.subject, message.body)
    ]
    return message, phone


def stock_sentences(lang: str) -> list[str]:
    """The longest piece of each of allauth's own sentences, in `lang`, without its placeholders."""
    with translation.override(lang):
        sentences = [translation.gettext(msgid) for msgid in STOCK_SENTENCES]
    return [max(re.split(r"%\(\w+\)s|\n", text), key=len).strip() for text in sentences]


def assert_ours(message, lang: str, phone: str):
    text = f"{message.subject}\n{message.body}"
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX).strip()
    assert MISSING not in text
    assert not EMPTY_PLACEHOLDER.search(text), EMPTY_PLACEHOLDER.search(text)
    assert settings.SITE_NAME in message.body and phone in message.body
    with translation.override(lang):
        greeting = translation.gettext("Hello,")
    # Our frame: our greeting first, the service's name last.
    assert message.body.startswith(greeting) and message.body.endswith(settings.SITE_NAME)
    subject = message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert subject.casefold() not in [stock.casefold() for stock in STOCK_SUBJECTS]
    for fragment in stock_sentences(lang):
        assert fragment not in text
    for url in URL.findall(message.body):
        assert f"/{lang}/" in url, url


@pytest.mark.parametrize("name", list(FLOWS))
def test_each_email_is_in_our_words_in_english_and_japanese(
    name, area_a, rendered, strict_templates, django_capture_on_commit_callbacks
):
    english, phone = send(name, "en", area_a, rendered, django_capture_on_commit_callbacks)
    japanese, _ = send(name, "ja", area_a, rendered, django_capture_on_commit_callbacks)

    assert_ours(english, "en", phone)
    assert_ours(japanese, "ja", phone)
    assert not JAPANESE.search(english.subject + english.body)
    # Every sentence of the Japanese one is translated: no two English words left side by side once
    # the links, addresses, codes and the service's name are taken out.
    assert japanese.subject != english.subject and japanese.body != english.body
    assert JAPANESE.search(japanese.subject) and JAPANESE.search(japanese.body)
    for text in (japanese.subject, japanese.body):
        rest = CODE.sub("", ADDRESS.sub("", URL.sub("", text))).replace(settings.SITE_NAME, "")
        assert not ENGLISH_WORDS.search(rest), f"untranslated in {name}: {ENGLISH_WORDS.search(rest)[0]!r}"


def test_every_email_allauth_can_send_us_has_our_own_templates():
    stock = {path.stem for path in ALLAUTH_EMAILS.glob("*.txt")} - set(BASES)
    names = {re.sub(r"_(subject|message)$", "", stem) for stem in stock}

    # An allauth upgrade that adds an email fails here until it is placed in FLOWS or NOT_SENT.
    assert names == set(FLOWS) | set(NOT_SENT)
    for name in FLOWS:
        assert (OUR_EMAILS / f"{name}_subject.txt").is_file(), name
        assert (OUR_EMAILS / f"{name}_message.txt").is_file(), name
    for base in BASES:  # so an email we do not send would still not greet "Hello from !"
        assert (OUR_EMAILS / f"{base}.txt").is_file(), base
    for name, (reason, still_true) in NOT_SENT.items():
        assert still_true(), f"{name} can be sent now ({reason} no longer holds): write our own wording"


def test_the_service_is_named_from_settings(settings, area_a, rendered, django_capture_on_commit_callbacks):
    settings.SITE_NAME = "Kitchen Friends"

    message, _ = send("unknown_account", "en", area_a, rendered, django_capture_on_commit_callbacks)

    assert "asked Kitchen Friends for a password reset code" in message.body
    assert message.body.endswith("Kitchen Friends")


def test_the_help_line_and_time_are_the_recipients_own_areas(rendered, django_capture_on_commit_callbacks):
    tokyo = AreaFactory(
        name="Setagaya", slug="setagaya", country="JP", help_phone="03-5555-0123", time_zone="Asia/Tokyo"
    )
    changed_at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 6:30pm in Tokyo

    with mock.patch("django.utils.timezone.now", return_value=changed_at):
        english, _ = send("password_changed", "en", tokyo, rendered, django_capture_on_commit_callbacks)
        japanese, _ = send("password_changed", "ja", tokyo, rendered, django_capture_on_commit_callbacks)

    assert "03-5555-0123" in english.body and settings.HELP_PHONE not in english.body
    assert tokyo.help_hours in english.body and tokyo.help_hours_ja in japanese.body
    assert "Monday 2 March 2026, 6:30pm" in english.body
    assert "2026年3月2日(月) 18:30" in japanese.body


def test_a_typed_address_is_shown_as_typed_not_escaped(area_a, rendered, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/en/accounts/password/reset/", {"email": "o'neill&co@example.org"})

    message = rendered["unknown_account"][-1]
    assert "o'neill&co@example.org" in message.body and "&#x27;" not in message.body
    assert mail.outbox[-1].to == ["o'neill&co@example.org"]
