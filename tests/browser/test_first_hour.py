"""The first hour, as a newcomer tries it on a fresh demo (issue 15), in each language: from the home page,
sign up to cook, confirm from a readable email of our own, land on the cook's steps, fill in the
profile; and later, once identity, course and approval are done, find someone nearby to cook for and
offer. Every page on the way is audited (axe + the extra checks)."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.people.models import User
from accounts.review import services as review_services
from tests.browser.checks import audit
from tests.browser.support import banner, click, last_email_to, link_in, submit_form, submit_main_form, t, url_path
from tests.factories import PASSWORD, IdentityCheckFactory
from tests.training.conftest import certify
from training.models import Course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER = {
    "en": {
        "full_name": "Jamie Rivers",
        "reading": "",
        "email": "jamie@example.org",
        "phone": "020 7123 9876",
        "country": "GB",
        "address_line1": "8 Mare Street",
        "town": "London",
        "postcode": "E8 4RP",
        "travel_distance": "1.5",
        "frequency": "weekly",
        "cooking_likes": "Pies and soups",
        "area": "hackney",
        # Accepted demo diners waiting for a cook near E8, and the one the newcomer offers to.
        "waiting": ("Peggy", "Stan", "Reenie"),
        "offer_to": "Peggy",
    },
    "ja": {
        "full_name": "森 ゆい",
        "reading": "モリ ユイ",
        "email": "yui@example.jp",
        "phone": "03-3412-0000",
        "country": "JP",
        "address_line1": "太子堂3-4-5",
        "town": "世田谷区",
        "postcode": "154-0004",
        "travel_distance": "3",
        "frequency": "fortnightly",
        "cooking_likes": "煮物と味噌汁",
        "area": "setagaya",
        "waiting": ("トメさん", "一郎さん"),
        "offer_to": "トメさん",
    },
}
# Phrases of allauth's stock emails, which must never reach a newcomer.
STOCK = ("Hello from", "Thank you for using", "example.com", "Please Confirm Your Email Address", "こんにちは、 ")


@pytest.fixture
def fresh_demo(settings):
    settings.GEOCODER = "offline"
    settings.DEBUG = True  # load_demo runs only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_newcomer_signs_up_to_cook_and_later_finds_someone_to_cook_for(
    live_server, open_page, fresh_demo, lang, width
):
    person = NEWCOMER[lang]
    page, console = open_page(lang=lang, width=width)

    # The home page's "Sign up to cook" carries why they came: the cook box is ticked.
    page.goto(f"{live_server.url}/{lang}/")
    audit(page, lang=lang, console=console)
    click(page, 'main a[href$="/accounts/signup/?as=cook"]')
    assert page.is_checked("#id_roles_0") and not page.is_checked("#id_roles_1")
    page.fill("#id_full_name", person["full_name"])
    if person["reading"]:
        page.fill("#id_name_reading", person["reading"])
    page.fill("#id_email", person["email"])
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    mail.outbox.clear()
    submit_form(page, "#id_email")
    assert url_path(page) == f"/{lang}/accounts/confirm-email/"
    audit(page, lang=lang, console=console)

    # A readable email of our own, in their language, naming Casserole and the help line.
    message = last_email_to(person["email"])
    assert message.subject.startswith("Casserole: ")
    assert "Casserole" in message.body
    assert not [phrase for phrase in STOCK if phrase in message.subject + message.body]
    if lang == "ja":
        assert re.search(r"[\u3040-\u30ff]", message.subject + message.body)
    page.goto(link_in(message, r"/accounts/confirm-email/[^/]+/$"))
    audit(page, lang=lang, console=console)
    click(page, 'main form[action*="/confirm-email/"] [type=submit]')

    # Signing in lands on the next step of their journey: the cook's steps.
    assert url_path(page) == f"/{lang}/accounts/login/"
    page.fill("#id_login", person["email"])
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")
    assert url_path(page) == f"/{lang}/account/cook/"
    audit(page, lang=lang, console=console)

    # The profile first.
    click(page, f'#cook-steps a[href="/{lang}/account/cook/profile/"]')
    page.fill("#id_phone", person["phone"])
    page.check(f'input[name="country"][value="{person["country"]}"]')
    for field in ("address_line1", "town", "postcode", "travel_distance", "cooking_likes"):
        page.fill(f"#id_{field}", person[field])
    page.check(f'input[name="frequency"][value="{person["frequency"]}"]')
    submit_main_form(page)
    assert url_path(page) == f"/{lang}/account/cook/"
    assert t(lang, "Your profile is saved.") in banner(page)
    audit(page, lang=lang, console=console)

    # Later: their identity is approved, they pass the course, and the area's coordinator approves them
    # (each of those is a journey of its own in test_cook_onboarding.py and test_course.py).
    cook = User.objects.get(email=person["email"])
    assert cook.home_area.slug == person["area"]
    coordinator = User.objects.get(email=f"coordinator.{person['area']}@demo.casserole.example")
    IdentityCheckFactory(cook=cook, decided_by=coordinator)
    certify(cook, Course.objects.get(is_current=True))
    review_services.approve_cook(by=coordinator, cook=cook)

    # Now there is someone near them to cook for.
    page.goto(f"{live_server.url}/{lang}/account/cook/")
    click(page, "#find-diners")
    assert url_path(page) == f"/{lang}/cook/diners/"
    listed = page.inner_text("#nearby-diners")
    assert all(name in listed for name in person["waiting"]), listed
    audit(page, lang=lang, console=console)
    with page.expect_navigation():
        page.locator("#nearby-diners > li", has_text=person["offer_to"]).locator('a[href*="/offer/"]').click()
    assert person["offer_to"] in page.inner_text("h1")
    audit(page, lang=lang, console=console)
    submit_main_form(page)
    # The name is stored bare; Japanese pages add さん (issue 19).
    stored = person["offer_to"].removesuffix("さん")
    assert cook.matches.filter(diner__preferred_name=stored, status="proposed").exists()
    audit(page, lang=lang, console=console)
