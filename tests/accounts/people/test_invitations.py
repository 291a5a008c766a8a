import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.people import services
from accounts.people.models import CoordinatorMembership, Invitation, User
from casserole.models import AuditEntry
from tests.conftest import is_signed_in, page_body, sign_in
from tests.factories import PASSWORD, CoordinatorFactory, UserFactory, add_totp, totp_code

pytestmark = pytest.mark.django_db

INVITE = "/en/coordinator/coordinators/invite/"


def invite(client: Client, capture, area, *, email="ian@example.org", full_name="Ian Invitee"):
    with capture(execute=True):
        return client.post(INVITE, {"full_name": full_name, "email": email, "area": area.pk})


def invitation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S*/account/invitation/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def accept_data(**overrides) -> dict:
    data = {"full_name": "Ian Invitee", "name_reading": "", "phone": "", "password": "a long enough invited password"}
    data.update(overrides)
    return data


def test_coordinator_invites_someone_to_their_own_area(
    login_as, coordinator_a, area_a, django_capture_on_commit_callbacks
):
    client = login_as(coordinator_a)
    response = invite(client, django_capture_on_commit_callbacks, area_a)

    assert response.status_code == 302
    assert response["Location"] == "/en/coordinator/"
    invitation = Invitation.objects.get(email="ian@example.org")
    assert invitation.area == area_a
    assert invitation.invited_by == coordinator_a
    entry = AuditEntry.objects.get(action="coordinator_invited")
    assert (entry.actor, entry.area, entry.object_id, entry.ip) == (
        coordinator_a,
        area_a,
        str(invitation.pk),
        "127.0.0.1",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ian@example.org"]
    path = invitation_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[-1]
    # Only a hash of the token is stored.
    assert invitation.token_hash == services.hash_token(token)
    assert token not in invitation.token_hash


def test_invite_form_offers_only_the_coordinators_own_areas(login_as, coordinator_a, area_a, area_b):
    response = login_as(coordinator_a).get(INVITE)
    assert response.status_code == 200
    assert list(response.context["form"].fields["area"].queryset) == [area_a]
    assert "Area B" not in response.content.decode()


def test_coordinator_cannot_invite_to_another_area(login_as, coordinator_a, area_b, django_capture_on_commit_callbacks):
    response = invite(login_as(coordinator_a), django_capture_on_commit_callbacks, area_b)
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_someone_who_already_coordinates_the_area_is_refused(
    login_as, coordinator_a, area_a, django_capture_on_commit_callbacks
):
    response = invite(login_as(coordinator_a), django_capture_on_commit_callbacks, area_a, email=coordinator_a.email)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Invitation.objects.exists()


def test_a_new_invitation_replaces_an_open_one(login_as, coordinator_a, area_a, django_capture_on_commit_callbacks):
    client = login_as(coordinator_a)
    invite(client, django_capture_on_commit_callbacks, area_a)
    first_link = invitation_path(mail.outbox[0])
    invite(client, django_capture_on_commit_callbacks, area_a)
    assert Invitation.objects.pending().count() == 1
    assert Client().get(first_link).status_code == 410
    assert Client().get(invitation_path(mail.outbox[1])).status_code == 200


@pytest.fixture
def invitation_link(coordinator_a, area_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coordinator(by=coordinator_a, area=area_a, email="ian@example.org", full_name="Ian Invitee")
    return invitation_path(mail.outbox[-1])


def test_accepting_an_invitation_makes_a_verified_coordinator_and_sends_them_to_set_up(invitation_link, area_a):
    client = Client()
    page = client.get(invitation_link)
    assert page.status_code == 200
    assert page.context["form"].initial["full_name"] == "Ian Invitee"

    response = client.post(invitation_link, accept_data(phone="07711 900456"))

    assert response.status_code == 302
    assert response["Location"] == "/en/account/two-factor/set-up/"
    user = User.objects.get(email="ian@example.org")
    assert user.is_coordinator
    assert user.phone == "+447711900456"  # read as a number in the area's country, stored in one form
    assert list(user.coordinator_memberships.values_list("area", flat=True)) == [area_a.pk]
    assert EmailAddress.objects.get(user=user).verified
    assert is_signed_in(client)
    assert Invitation.objects.get().accepted_by == user
    role = AuditEntry.objects.get(action="role_changed", object_id=str(user.pk))
    assert role.detail == {"role": "coordinator", "granted": True}
    assert role.area == area_a
    # The next page is the authenticator set-up, not the coordinator pages.
    assert client.get("/en/coordinator/")["Location"].startswith("/en/account/two-factor/set-up/")


def test_accepting_with_an_existing_verified_account_gives_the_session_a_new_id(invitation_link, settings):
    cook = UserFactory(email="ian@example.org", is_cook=True)
    device = add_totp(cook)
    client = Client()
    sign_in(client, cook.email, PASSWORD)
    client.post("/en/account/two-factor/", {"code": totp_code(device)})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    # The form has no fields: a browser's post carries only the CSRF token (unchecked by the test client).
    response = client.post(invitation_link, {"csrfmiddlewaretoken": "token"})

    assert response.status_code == 302
    assert response["Location"] == "/en/coordinator/"
    # The session now carries a coordinator's rights: an id known before must not carry them.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = before
    assert not is_signed_in(thief)
    assert client.get("/en/coordinator/").status_code == 200


def test_an_invitation_link_works_only_once(invitation_link):
    assert Client().post(invitation_link, accept_data()).status_code == 302
    again = Client()
    response = again.post(invitation_link, accept_data(password="somebody else's password"))
    assert response.status_code == 410
    assert not is_signed_in(again)
    assert Client().get(invitation_link).status_code == 410


def test_an_expired_invitation_link_shows_the_gone_page(invitation_link):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(invitation_link)
    assert response.status_code == 410
    assert Client().post(invitation_link, accept_data()).status_code == 410
    assert not User.objects.filter(email="ian@example.org").exists()


def test_a_made_up_invitation_token_shows_the_gone_page():
    assert Client().get("/en/account/invitation/not-a-real-token/").status_code == 410


def test_invitation_password_must_meet_the_rules(invitation_link):
    response = Client().post(invitation_link, accept_data(password="short"))
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(email="ian@example.org").exists()


def test_accepting_an_invitation_cannot_be_used_to_gain_extra_roles(invitation_link, area_b):
    data = accept_data(is_staff="on", is_superuser="on", area=str(area_b.pk), home_area=str(area_b.pk), role="admin")
    Client().post(invitation_link, data)
    user = User.objects.get(email="ian@example.org")
    assert (user.is_staff, user.is_superuser, user.home_area) == (False, False, None)
    assert not user.coordinator_memberships.filter(area=area_b).exists()


def test_coordinator_cancels_an_invitation_to_their_own_area(login_as, coordinator_a, invitation_link):
    invitation = Invitation.objects.get()
    response = login_as(coordinator_a).post(f"/en/coordinator/coordinators/invitations/{invitation.pk}/cancel/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.filter(action="invitation_revoked", object_id=str(invitation.pk)).exists()
    assert Client().get(invitation_link).status_code == 410


def test_coordinator_cannot_cancel_another_areas_invitation(login_as, coordinator_a, coordinator_b, area_b):
    invitation = services.invite_coordinator(by=coordinator_b, area=area_b, email="bo@example.org", full_name="Bo")
    client = login_as(coordinator_a)
    response = client.post(f"/en/coordinator/coordinators/invitations/{invitation.pk}/cancel/")
    missing = client.post("/en/coordinator/coordinators/invitations/999999/cancel/")
    assert response.status_code == missing.status_code == 404
    assert same_page(response, missing, f"/invitations/{invitation.pk}/", "/invitations/999999/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def same_page(response, other, path_part: str, other_path_part: str) -> bool:
    # The pages may differ only in the path they echo (in the language switch).
    return page_body(response).replace(path_part, "/ID/") == page_body(other).replace(other_path_part, "/ID/")


@pytest.fixture
def other_coordinator_a(area_a):
    user = CoordinatorFactory(full_name="Olive Other", email="coord-a2@example.org", areas=[area_a])
    add_totp(user)
    return user


def test_removing_a_coordinators_area_takes_effect_on_their_next_request(
    login_as, coordinator_a, other_coordinator_a, area_a
):
    theirs = login_as(other_coordinator_a)
    assert theirs.get("/en/coordinator/").status_code == 200
    membership = CoordinatorMembership.objects.get(user=other_coordinator_a)

    response = login_as(coordinator_a).post(f"/en/coordinator/coordinators/{membership.pk}/remove/")

    assert response.status_code == 302
    assert not CoordinatorMembership.objects.filter(pk=membership.pk).exists()
    assert theirs.get("/en/coordinator/").status_code == 403
    other_coordinator_a.refresh_from_db()
    assert not other_coordinator_a.is_coordinator
    entry = AuditEntry.objects.get(action="role_changed", object_id=str(other_coordinator_a.pk))
    assert entry.actor == coordinator_a
    assert entry.detail == {"role": "coordinator", "area": area_a.pk, "granted": False}


def test_coordinator_cannot_remove_another_areas_coordinator(login_as, coordinator_a, coordinator_b):
    membership = CoordinatorMembership.objects.get(user=coordinator_b)
    client = login_as(coordinator_a)
    response = client.post(f"/en/coordinator/coordinators/{membership.pk}/remove/")
    missing = client.post("/en/coordinator/coordinators/999999/remove/")
    assert response.status_code == missing.status_code == 404
    assert same_page(response, missing, f"/coordinators/{membership.pk}/", "/coordinators/999999/")
    assert CoordinatorMembership.objects.filter(pk=membership.pk).exists()


def test_admin_changing_roles_is_audited(admin_user, cook):
    services.set_roles(by=admin_user, user=cook, roles={"is_referrer": True, "is_superuser": True})
    cook.refresh_from_db()
    assert cook.is_referrer
    assert not cook.is_superuser  # not a role set_roles may grant
    entry = AuditEntry.objects.get(action="role_changed")
    assert entry.detail == {"changes": {"is_referrer": True}}
    assert entry.actor == admin_user


def test_only_an_admin_may_change_roles(coordinator_a, cook):
    with pytest.raises(services.AccountError):
        services.set_roles(by=coordinator_a, user=cook, roles={"is_coordinator": True})
    cook.refresh_from_db()
    assert not cook.is_coordinator


def test_sign_ins_and_failed_sign_ins_are_audited_with_the_ip(cook):
    sign_in(Client(), cook.email, "not the password at all", REMOTE_ADDR="203.0.113.9")
    sign_in(Client(), cook.email, PASSWORD, REMOTE_ADDR="203.0.113.10")

    failed = AuditEntry.objects.get(action="sign_in_failed")
    assert failed.actor is None
    assert failed.actor_label == cook.email
    assert failed.ip == "203.0.113.9"
    assert "not the password" not in str(failed.detail)
    signed_in = AuditEntry.objects.get(action="signed_in")
    assert (signed_in.actor, signed_in.ip, signed_in.object_id) == (cook, "203.0.113.10", str(cook.pk))
