"""A sign-up link says why the person came (?as=cook, ?as=referrer): the right box is ticked, the
reason survives a form sent back with a mistake and the email confirmation, and the first sign-in
after confirming lands on the next step of that journey."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.people.models import User
from casserole.models import AuditEntry
from tests.conftest import is_signed_in, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum crumble on a wet tuesday"


def sign_up(client, capture, *, roles, came_as=None, lang="en", email="nora@example.org"):
    data = {
        "full_name": "Nora Newcomer",
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "roles": roles,
    }
    if came_as is not None:
        data["as"] = came_as
    with capture(execute=True):
        return client.post(f"/{lang}/accounts/signup/", data)


def confirmation_path(email: str) -> str:
    message = [m for m in mail.outbox if email in m.to][-1]
    match = re.search(r"https?://testserver(/\S*/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def ticked(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'<input type="checkbox" name="roles" value="(\w+)"[^>]*\bchecked\b', html))


def hidden_as(response) -> str | None:
    match = re.search(r'<input type="hidden" name="as"(?: value="([^"]*)")?', response.content.decode())
    assert match, "the sign-up form carries the reason in a hidden field"
    return match.group(1)


def tr(lang: str, message: str) -> str:
    with translation.override(lang):
        return translation.gettext(message)


# The form -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [("?as=cook", {"cook"}), ("?as=referrer", {"referrer"})])
def test_sign_up_link_ticks_the_role_it_was_for(client, query, expected):
    response = client.get(f"/en/accounts/signup/{query}")

    assert response.status_code == 200
    assert ticked(response) == expected
    assert hidden_as(response) == query.removeprefix("?as=")


@pytest.mark.parametrize("query", ["", "?as=coordinator", "?as=admin", "?as=", "?as=COOK"])
def test_sign_up_without_a_known_reason_ticks_nothing(client, query):
    response = client.get(f"/en/accounts/signup/{query}")

    assert response.status_code == 200
    assert ticked(response) == set()
    assert hidden_as(response) is None


def test_the_reason_survives_a_form_sent_back_with_a_mistake(client):
    response = client.post(
        "/en/accounts/signup/",
        {"full_name": "", "email": "nora@example.org", "roles": ["referrer"], "as": "referrer"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert hidden_as(response) == "referrer"
    assert ticked(response) == {"referrer"}


def test_a_made_up_reason_posted_is_ignored(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, roles=["cook"], came_as="coordinator")

    assert response.status_code == 302
    user = User.objects.get(email="nora@example.org")
    assert (user.signed_up_as, user.is_coordinator, user.is_cook) == ("", False, True)


def test_the_reason_is_kept_on_the_account_and_in_the_audit_entry(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, roles=["cook", "referrer"], came_as="referrer")

    user = User.objects.get(email="nora@example.org")
    assert (user.is_cook, user.is_referrer, user.signed_up_as) == (True, True, "referrer")
    entry = AuditEntry.objects.get(action="signed_up", actor=user)
    assert entry.detail == {"roles": ["cook", "referrer"], "signed_up_as": "referrer"}


def test_a_reason_whose_role_was_unticked_is_not_kept(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, roles=["referrer"], came_as="cook")

    user = User.objects.get(email="nora@example.org")
    assert (user.is_cook, user.is_referrer, user.signed_up_as) == (False, True, "")
    assert user.journey == "referrer"


# Confirming and the first sign-in -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "roles", "came_as", "next_step"),
    [
        ("en", ["cook"], "cook", "/en/account/cook/"),
        ("en", ["referrer"], "referrer", "/en/request/"),
        ("ja", ["referrer"], "referrer", "/ja/request/"),
        ("ja", ["cook"], "cook", "/ja/account/cook/"),
        # Both roles: the one they came for; with no link, a cook's steps (where a cook's sign-in goes).
        ("en", ["cook", "referrer"], "referrer", "/en/request/"),
        ("en", ["cook", "referrer"], "cook", "/en/account/cook/"),
        ("en", ["cook", "referrer"], None, "/en/account/cook/"),
        ("en", ["referrer"], None, "/en/request/"),
    ],
)
def test_confirming_the_email_leads_through_sign_in_to_the_next_step(
    client, django_capture_on_commit_callbacks, lang, roles, came_as, next_step
):
    sign_up(client, django_capture_on_commit_callbacks, roles=roles, came_as=came_as, lang=lang)
    link = confirmation_path("nora@example.org")
    assert link.startswith(f"/{lang}/")
    phone = Client()  # the email is often opened on another device

    response = phone.post(link)

    assert EmailAddress.objects.get(email="nora@example.org").verified
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/accounts/login/?next={next_step.replace('/', '%2F')}"
    response = phone.get(response["Location"])
    # The sign-in form carries the next step in its hidden "next" field.
    assert f'<input type="hidden" name="next" value="{next_step}">' in response.content.decode()

    response = phone.post(
        f"/{lang}/accounts/login/", {"login": "nora@example.org", "password": NEW_PASSWORD, "next": next_step}
    )

    assert is_signed_in(phone)
    assert response["Location"] == next_step
    assert phone.get(next_step).status_code == 200


@pytest.mark.parametrize(
    ("roles", "came_as", "message"),
    [
        (["cook"], "cook", "Sign in to carry on. Next, you will see your steps to becoming a cook."),
        (["referrer"], "referrer", "Sign in to carry on. Next, you can start your request for meals."),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sign_in_page_after_confirming_says_what_comes_next(
    client, django_capture_on_commit_callbacks, lang, roles, came_as, message
):
    sign_up(client, django_capture_on_commit_callbacks, roles=roles, came_as=came_as, lang=lang)
    link = confirmation_path("nora@example.org")

    response = Client().post(link, follow=True)

    assert response.redirect_chain[-1][0].startswith(f"/{lang}/accounts/login/?next=")
    assert tr(lang, message) in response.content.decode()


@pytest.mark.parametrize(
    ("roles", "came_as", "message"),
    [
        (
            ["cook"],
            "cook",
            "Then sign in with your email address and password, and we will show you your steps to becoming a cook.",
        ),
        (
            ["referrer"],
            "referrer",
            "Then sign in with your email address and password, and you can start your request for meals.",
        ),
    ],
)
def test_confirm_page_says_sign_in_comes_next_and_where_it_leads(
    client, django_capture_on_commit_callbacks, roles, came_as, message
):
    sign_up(client, django_capture_on_commit_callbacks, roles=roles, came_as=came_as)

    response = Client().get(confirmation_path("nora@example.org"))

    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_referrer_signing_in_later_goes_to_their_account_not_a_new_request(
    client, django_capture_on_commit_callbacks
):
    # The next step is carried by the confirmation, once; later sign-ins go where they always did.
    sign_up(client, django_capture_on_commit_callbacks, roles=["referrer"], came_as="referrer")
    Client().post(confirmation_path("nora@example.org"))

    response = sign_in(Client(), "nora@example.org", NEW_PASSWORD)

    assert response["Location"] == "/en/account/"


def test_a_coordinator_confirming_an_address_is_sent_to_sign_in_and_then_two_factor(unverified_coordinator):
    unverified_coordinator.is_cook = True
    unverified_coordinator.save(update_fields=["is_cook"])
    address = EmailAddress.objects.create(user=unverified_coordinator, email="second@example.org", verified=False)
    key = EmailConfirmationHMAC(address).key
    client = Client()

    response = client.post(f"/en/accounts/confirm-email/{key}/")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/"  # no journey step ahead of the second factor
    response = sign_in(client, unverified_coordinator.email, PASSWORD)
    assert response["Location"] == "/en/account/two-factor/set-up/"
