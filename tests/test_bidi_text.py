"""Bidirectional-text spoofing: a right-to-left override typed into a name would reorder whatever a
coordinator reads after it ("…‮gnp.exe"). Direction controls are dropped from typed text, names sit in
<bdi> wherever they share a line with other words, and email subjects carry none."""

import re

import pytest
from django.utils import translation

from accounts.onboarding.forms import CookProfileForm
from accounts.people.forms import InvitationAcceptForm, InviteCoordinatorForm, ProfileForm, SignupDetailsForm
from accounts.people.models import Area
from casserole import audit
from casserole.fields import PlaceForm
from casserole.mail import queue_email, queue_templated_email
from casserole.status import StatusReasonForm, Transition
from casserole.templatetags.casserole_tags import bdi, no_bidi
from casserole.text import clean_text
from meals.matching.forms import OfferForm
from meals.referrals.forms import SECTIONS, WaitlistForm
from meals.triage.forms import MoreInformationForm
from tests.factories import CookProfileFactory, DinerFactory, MatchFactory, ProxyAccessFactory, ReferralFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"
# Every character clean_text() must drop: marks, embeddings, overrides, isolates, the Arabic letter mark.
CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
TYPED = f"Ann{RLO}ennA"
STORED = "AnnennA"
# A name already on record from before the fix (written straight to the database).
LEGACY = f"Bob{RLO}Spoof"
_ANY_CONTROL = re.compile(f"[{CONTROLS}]")


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def cleaned(form, name: str):
    form.is_valid()  # other fields may be missing: only `name` is under test
    return form.cleaned_data[name]


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


# Typed text -------------------------------------------------------------------------------------------


def test_clean_text_drops_every_direction_control_and_keeps_the_letters():
    assert clean_text(f" {CONTROLS[:6]}山田{CONTROLS[6:]}花子 ") == "山田花子"
    assert clean_text(None) == ""


@pytest.mark.parametrize("field", ["full_name", "name_reading"])
def test_sign_up_names_are_stored_without_direction_controls(field):
    assert cleaned(SignupDetailsForm({field: TYPED}), field) == STORED


@pytest.mark.parametrize("field", ["full_name", "name_reading"])
def test_profile_names_are_stored_without_direction_controls(cook, field):
    assert cleaned(ProfileForm({field: TYPED}, instance=cook), field) == STORED


@pytest.mark.parametrize("field", ["full_name", "name_reading"])
def test_invitation_names_are_stored_without_direction_controls(field):
    assert cleaned(InvitationAcceptForm({field: TYPED}, email="new@example.org"), field) == STORED


def test_invited_coordinators_name_is_stored_without_direction_controls(area_a):
    form = InviteCoordinatorForm({"full_name": TYPED}, areas=Area.objects.all())
    assert cleaned(form, "full_name") == STORED


@pytest.mark.parametrize(
    "field", ["full_name", "name_reading", "address_line1", "town", "cooking_likes", "note_for_diners"]
)
def test_cook_profile_text_is_stored_without_direction_controls(field):
    assert cleaned(CookProfileForm({field: TYPED}), field) == STORED


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ("relationship", "referrer_name"),
        ("name", "full_name"),
        ("name", "name_reading"),
        ("name", "preferred_name"),
        ("address", "address_line1"),
        ("access", "access_notes"),
        ("likes", "likes"),
        ("emergency", "emergency_name"),
        ("emergency", "emergency_relationship"),
    ],
)
def test_request_answers_are_stored_without_direction_controls(section, field):
    assert cleaned(SECTIONS[section]({field: TYPED}, signed_in=False), field) == STORED


def test_waiting_list_name_is_stored_without_direction_controls():
    assert cleaned(WaitlistForm({"name": TYPED}), "name") == STORED


def test_coordinator_and_cook_notes_are_stored_without_direction_controls():
    assert cleaned(PlaceForm({"neighbourhood": TYPED}), "neighbourhood") == STORED
    assert cleaned(OfferForm({"message": TYPED}), "message") == STORED
    assert cleaned(MoreInformationForm({"message": TYPED}), "message") == STORED
    transition = Transition(sources=("a",), target="b", audit_action=next(iter(audit.Action)), refused="No")
    assert cleaned(StatusReasonForm({"reason": TYPED}, transition=transition, label="Why?"), "reason") == STORED


def test_a_name_of_only_direction_controls_counts_as_empty():
    form = SignupDetailsForm({"full_name": RLO * 3, "roles": ["cook"]})
    assert not form.is_valid()
    assert "full_name" in form.errors


# Pages ------------------------------------------------------------------------------------------------


def test_bdi_filter_isolates_and_escapes():
    assert bdi("<b>Al</b>") == "<bdi>&lt;b&gt;Al&lt;/b&gt;</bdi>"
    assert bdi("") == ""
    assert no_bidi(LEGACY) == "BobSpoof"


def assert_isolated(html: str, name: str = LEGACY) -> None:
    assert f"<bdi>{name}</bdi>" in html
    assert name not in html.replace(f"<bdi>{name}</bdi>", "")
    assert not _ANY_CONTROL.search(title_of(html))


def test_coordinators_diner_list_isolates_names(login_as, coordinator_a, area_a):
    DinerFactory(area=area_a, full_name=LEGACY, preferred_name=LEGACY)
    assert_isolated(login_as(coordinator_a).get("/en/coordinator/diners/").content.decode())


def test_referral_queue_isolates_names(login_as, coordinator_a, area_a):
    ReferralFactory(diner__area=area_a, diner__preferred_name=LEGACY)
    assert_isolated(login_as(coordinator_a).get("/en/coordinator/referrals/").content.decode())


def test_cook_list_isolates_names(login_as, coordinator_a, area_a):
    CookProfileFactory(user__full_name=LEGACY, user__home_area=area_a)
    assert_isolated(login_as(coordinator_a).get("/en/coordinator/cooks/").content.decode())


def test_offers_isolate_both_names(login_as, coordinator_a, area_a):
    MatchFactory(diner__area=area_a, diner__preferred_name=LEGACY, cook__full_name="Eve\u202eCook")
    html = login_as(coordinator_a).get("/en/coordinator/offers/").content.decode()
    assert_isolated(html)
    assert_isolated(html, "Eve\u202eCook")


def test_match_pages_isolate_names_and_keep_them_out_of_the_title(login_as, coordinator_a, area_a):
    cook_profile = CookProfileFactory(user__full_name="Eve\u202eCook", user__home_area=area_a)
    match = MatchFactory(diner__area=area_a, diner__preferred_name=LEGACY, cook=cook_profile.user)
    html = login_as(coordinator_a).get(f"/en/coordinator/matches/{match.pk}/").content.decode()
    assert_isolated(html)
    assert_isolated(html, "Eve\u202eCook")
    cook_html = login_as(cook_profile.user).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert f"<bdi>{LEGACY}</bdi>" in cook_html
    assert not _ANY_CONTROL.search(title_of(cook_html))


def test_workspace_home_isolates_coordinators_names(login_as, coordinator_a):
    coordinator_a.full_name = LEGACY
    coordinator_a.save(update_fields=["full_name"])
    assert_isolated(login_as(coordinator_a).get("/en/coordinator/").content.decode())


def test_referrers_diner_list_isolates_names(login_as, referrer, area_a):
    ProxyAccessFactory(referrer=referrer, diner__area=area_a, diner__preferred_name=LEGACY)
    assert_isolated(login_as(referrer).get("/en/diners/").content.decode())


def test_place_cook_heading_isolates_the_name(login_as, coordinator_a, area_a):
    profile = CookProfileFactory(user__full_name=LEGACY, user__home_area=area_a)
    html = login_as(coordinator_a).get(f"/en/coordinator/cooks/{profile.user.pk}/location/").content.decode()
    assert_isolated(html)


# Email subjects ---------------------------------------------------------------------------------------


def test_email_subjects_carry_no_direction_controls():
    assert queue_email(to="a@example.org", subject=f"About {LEGACY}", body="Hi").subject == "About BobSpoof"


def test_templated_email_subjects_carry_no_direction_controls():
    message = queue_templated_email(
        to="c@example.org",
        template="meals/matching/email/match_coordinator",
        context={"kind": "offered", "cook_name": LEGACY, "diner_name": LEGACY},
        language="en",
    )
    assert message.subject == "Casserole: BobSpoof has offered to cook for BobSpoof"
