"""The demo's records pass the same validation as a person's input (issue 15, item 6): a demo cook can
re-save their own profile, a referrer each section of their diner's details, anyone their account
details, without changing anything. Every record is sent back through the form that edits it."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.forms import MultiWidget
from django.test import override_settings

from accounts.onboarding.forms import CookProfileForm
from accounts.onboarding.models import CookProfile
from accounts.people.forms import ProfileForm
from accounts.people.models import User
from casserole.phones import phone_for_display
from meals.diners.models import Diner
from meals.diners.services import DINER_FIELDS
from meals.proxy.views import DINER_SECTIONS
from meals.referrals.forms import SECTIONS
from meals.relationships.forms.concerns import CloseConcernForm, ConcernForm
from meals.relationships.forms.door import CloseDoorCaseForm, DoorNoteForm
from meals.relationships.forms.feedback import CookFeedbackForm, CoordinatorFeedbackForm, DinerFeedbackForm
from meals.relationships.forms.loneliness import LonelinessForm, MeasureConsentForm
from meals.relationships.forms.timeline import MatchNoteForm
from meals.relationships.forms.visits import VisitForm
from meals.relationships.forms.watch import CoordinatorWatchRecipientForm
from meals.relationships.loneliness import SCALES
from meals.relationships.models import (
    WELLBEING_KEYS,
    Concern,
    DoorCaseStep,
    Feedback,
    LonelinessMeasure,
    MatchNote,
    MeasureConsent,
    Visit,
    WatchRecipient,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for the module (these tests only read it), in a transaction rolled back at its end."""
    private = settings.STORAGES["private"]
    location = str(tmp_path_factory.mktemp("demo-private"))
    storages = {**settings.STORAGES, "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": location}}}
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], STORAGES=storages
        ),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def as_posted(form) -> dict:
    """What the browser would post back for an unbound form showing its initial values."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = value if isinstance(value, (list, tuple)) else field.widget.decompress(value)
            for suffix, part in zip(field.widget.widgets_names, parts, strict=True):
                data[name + suffix] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    return data


def test_every_demo_cook_can_save_their_profile_as_it_is(demo):
    profiles = list(CookProfile.objects.select_related("user"))
    assert len(profiles) >= 8
    for profile in profiles:
        initial = {
            "full_name": profile.user.full_name,
            "name_reading": profile.user.name_reading,
            "phone": phone_for_display(profile.user.phone),
            **{
                name: getattr(profile, name)
                for name in ("country", "address_line1", "address_line2", "town", "postcode", "frequency")
            },
            "cooking_likes": profile.cooking_likes,
            "note_for_diners": profile.note_for_diners,
            "travel_distance": f"{profile.travel_distance:f}".removesuffix(".0"),
        }
        form = CookProfileForm(data=as_posted(CookProfileForm(initial=initial, unit=profile.travel_unit)))
        assert form.is_valid(), (profile.user.email, form.errors)


def test_every_demo_persons_account_details_pass_the_account_form(demo):
    people = list(User.objects.filter(email__endswith="@demo.casserole.example"))
    assert len(people) >= 15
    for person in people:
        form = ProfileForm(data=as_posted(ProfileForm(instance=person)), instance=person)
        assert form.is_valid(), (person.email, form.errors)
        assert form.cleaned_data["phone"] == person.phone


def test_every_section_of_every_demo_diner_passes_the_form_that_edits_it(demo):
    diners = list(Diner.objects.all())
    assert len(diners) >= 12
    for diner in diners:
        values = {name: getattr(diner, name) for name in DINER_FIELDS}
        for slug in DINER_SECTIONS:
            form_class = SECTIONS[slug]
            shown = form_class(initial=form_class.initial_from(values), country=diner.country)
            form = form_class(data=as_posted(shown), country=diner.country)
            assert form.is_valid(), (diner.full_name, slug, form.errors)


def assert_valid(form, what) -> None:
    assert form.is_valid(), (what, form.errors)


def test_the_demo_relationship_log_passes_the_forms_that_record_it(demo):
    visits = list(Visit.objects.all())
    assert len(visits) >= 30
    for visit in visits:
        data = {"outcome": visit.outcome, "note": visit.note, "minutes": str(visit.minutes_stayed or "")}
        for key in WELLBEING_KEYS:
            data[f"wellbeing_{key}"] = visit.wellbeing.get(key, "")
            data[f"note_{key}"] = visit.wellbeing_notes.get(key, "")
        form = VisitForm(data=data)
        assert_valid(form, visit)
        values = form.values()
        assert values["minutes"] == visit.minutes_stayed
        assert {k: v for k, v in values["notes"].items() if v} == visit.wellbeing_notes

    given = list(Feedback.objects.all())
    assert {f.side for f in given} == {"cook", "diner"}
    for feedback in given:
        data = {"occasion": feedback.occasion, "enjoyed": feedback.enjoyed, "changes": feedback.changes}
        if feedback.side == Feedback.Side.COOK:
            form_class = CookFeedbackForm
        else:
            data |= {"friend": feedback.friend, "less_contact_without": feedback.less_contact_without}
            form_class = CoordinatorFeedbackForm if feedback.channel == "phone" else DinerFeedbackForm
            data["channel"] = feedback.channel
        assert_valid(form_class(data=data), feedback)

    for recipient in WatchRecipient.objects.select_related("diner"):
        fields = ("name", "email", "relationship", "language", "frequency")
        data = {name: getattr(recipient, name) for name in fields}
        data |= {"shared_items": recipient.shared_items, "agreed": "on", "channel": recipient.approved_channel}
        assert_valid(CoordinatorWatchRecipientForm(data=data, diner=recipient.diner), recipient)

    for consent in MeasureConsent.objects.all():
        assert_valid(MeasureConsentForm(data={"consent-given": "yes", "consent-channel": consent.channel}), consent)
    measures = list(LonelinessMeasure.objects.all())
    assert len(measures) >= 4
    for measure in measures:
        data = {f"answers-{key}": value for key, value in measure.answers.items()}
        form = LonelinessForm(data={**data, "answers-channel": measure.channel}, scale=SCALES[measure.scale])
        assert_valid(form, measure)
        assert form.answers() == measure.answers

    steps = list(DoorCaseStep.objects.filter(kind__in=("note", "closed")).select_related("case"))
    assert len(steps) >= 4
    for step in steps:
        if step.kind == "note":
            assert_valid(DoorNoteForm(data={"note-text": step.note}), step)
        else:
            data = {"close-outcome": step.case.outcome, "close-note": step.case.outcome_note}
            assert_valid(CloseDoorCaseForm(data=data), step)

    for concern in Concern.objects.all():
        assert_valid(ConcernForm(data={"level": concern.level, "text": concern.text}), concern)
        if concern.closing_notes:
            assert_valid(CloseConcernForm(data={"close-notes": concern.closing_notes}), concern)

    for note in MatchNote.objects.all():
        assert_valid(MatchNoteForm(data={"note-text": note.text}), note)
