"""Email addresses longer than the 254 characters our columns hold are refused on every form that takes
one, with one message, and the form keeps what was typed: nothing is cut short on the way to the
database (allauth shortens a user's email to the column's length when it saves them; PostgreSQL
refuses an over-long invitation)."""

import pytest
from allauth.account.models import EmailAddress

from accounts.people import services
from accounts.people.models import Invitation, User
from casserole.models import AuditEntry, OutboundEmail
from tests.factories import PASSWORD, long_email

pytestmark = pytest.mark.django_db

TOO_LONG = "Email address must be 254 characters or fewer"
TOO_LONG_JA = "メールアドレスは254文字以内で入力してください"
# 255 is one too many; 320 is the most a form's EmailField allows; 400 fails Django's format check too.
LENGTHS = [255, 320, 400]
PASSWORD_FOR_SIGNUP = "plum crumble on a wet tuesday"


def signup_data(email: str) -> dict:
    return {
        "full_name": "Nora Newcomer",
        "email": email,
        "password1": PASSWORD_FOR_SIGNUP,
        "password2": PASSWORD_FOR_SIGNUP,
        "roles": ["cook"],
    }


def refused_once(response, message: str = TOO_LONG) -> str:
    """The page came back with the message on the field (and in the error summary), and no other."""
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Enter an email address in the correct format" not in html
    return html


@pytest.mark.parametrize("length", LENGTHS)
def test_sign_up_refuses_an_address_longer_than_254_characters_and_keeps_it(client, length):
    address = long_email(length)

    html = refused_once(client.post("/en/accounts/signup/", signup_data(address)))

    assert f'value="{address}"' in html
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_sign_up_says_so_in_japanese(client):
    refused_once(client.post("/ja/accounts/signup/", signup_data(long_email(255))), TOO_LONG_JA)


def test_sign_up_keeps_a_254_character_address_whole(client, django_capture_on_commit_callbacks):
    address = long_email(254)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/signup/", signup_data(address))

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == address
    assert EmailAddress.objects.get(user=user).email == address


def test_sign_in_refuses_an_address_longer_than_254_characters(client):
    address = long_email(255)
    html = refused_once(client.post("/en/accounts/login/", {"login": address, "password": PASSWORD}))
    assert f'value="{address}"' in html


def test_password_reset_refuses_an_address_longer_than_254_characters(client):
    address = long_email(255)
    html = refused_once(client.post("/en/accounts/password/reset/", {"email": address}))
    assert f'value="{address}"' in html
    assert not OutboundEmail.objects.exists()


def test_adding_an_email_address_refuses_one_longer_than_254_characters(login_as, cook):
    address = long_email(255)
    response = login_as(cook).post("/en/accounts/email/", {"action_add": "", "email": address})

    html = refused_once(response)
    assert f'value="{address}"' in html
    assert list(EmailAddress.objects.filter(user=cook).values_list("email", flat=True)) == [cook.email]


@pytest.mark.parametrize("length", LENGTHS)
def test_an_invitation_to_an_address_longer_than_254_characters_is_refused_on_the_form(
    login_as, coordinator_a, area_a, length
):
    address = long_email(length)
    response = login_as(coordinator_a).post(
        "/en/coordinator/coordinators/invite/", {"full_name": "Ian Invitee", "email": address, "area": area_a.pk}
    )

    html = refused_once(response)
    assert f'value="{address}"' in html
    assert not Invitation.objects.exists()


def test_the_invitation_service_refuses_an_address_longer_than_254_characters(coordinator_a, area_a):
    # SQLite would store it whole; PostgreSQL would fail on insert. Neither is reached.
    with pytest.raises(services.AccountError, match=TOO_LONG):
        services.invite_coordinator(by=coordinator_a, area=area_a, email=long_email(255), full_name="Ian Invitee")

    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="coordinator_invited").exists()


def test_an_invitation_to_a_254_character_address_is_kept_whole(coordinator_a, area_a):
    address = long_email(254)
    invitation = services.invite_coordinator(by=coordinator_a, area=area_a, email=address, full_name="Ian Invitee")
    invitation.refresh_from_db()
    assert invitation.email == address
