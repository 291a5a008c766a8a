"""The demo's records pass the same validation as a person's input (issue 15, item 6): a demo cook can
re-save their own profile, a referrer each section of their diner's details, anyone their account
details, without changing anything. Every record is sent back through the form that edits it."""

import io

import pytest
from django.core.management import call_command
from django.forms import MultiWidget

from accounts.onboarding.forms import CookProfileForm
from accounts.onboarding.models import CookProfile
from accounts.people.forms import ProfileForm
from accounts.people.models import User
from casserole.phones import phone_for_display
from meals.diners.models import Diner
from meals.diners.services import DINER_FIELDS
from meals.proxy.views import DINER_SECTIONS
from meals.referrals.forms import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())


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
