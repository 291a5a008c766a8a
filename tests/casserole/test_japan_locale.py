"""Japan as a first-class locale (issue 19): each club's own help line, Japanese addresses, names with
their honorific, and the words of Japanese welfare practice."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from casserole.addresses import PostalAddressFields, address_lines
from casserole.models import OutboundEmail
from casserole.names import AddressedName, addressed
from casserole.phones import PHONE_EXAMPLE_ERROR
from meals.diners.models import Diner
from meals.matching import services as matching
from meals.matching.forms import IntroductionForm
from meals.matching.models import Match
from meals.referrals.forms import SECTIONS
from meals.referrals.models import Referral
from meals.relationships import watch
from meals.rights import closing
from meals.schedule import notices
from meals.schedule.forms.cook import ProposeForm
from meals.schedule.models import Meal
from tests.conftest import verified_client
from tests.factories import (
    AreaFactory,
    CookProfileFactory,
    CoordinatorFactory,
    DinerFactory,
    MatchFactory,
    ProxyAccessFactory,
    UserFactory,
    add_totp,
)

pytestmark = pytest.mark.django_db

SETAGAYA_PHONE = "03-5555-0123"


def setagaya(**changes):
    return AreaFactory(
        slug="setagaya",
        name="Setagaya",
        name_ja="世田谷区",
        country="JP",
        help_phone=SETAGAYA_PHONE,
        help_hours="Weekdays, 10am to 6pm",
        help_hours_ja="平日 午前10時から午後6時",
        time_zone="Asia/Tokyo",
        postcode_prefixes="154",
        **changes,
    )


def hanako(area, **changes) -> Diner:
    values = {
        "area": area,
        "status": Diner.Status.ACTIVE,
        "full_name": "山田 花子",
        "preferred_name": "花子",
        "preferred_language": "ja",
        "country": "JP",
        "town": "東京都世田谷区",
        "address_line1": "太子堂4丁目1-1",
        "address_line2": "コーポ太子堂201",
        "postcode": "154-0004",
        "form_of_address": "さん",
    }
    return DinerFactory(**{**values, **changes})


def coordinator_of(area):
    coordinator = CoordinatorFactory(areas=[area], preferred_language="ja")
    add_totp(coordinator)
    return coordinator


def text_of(html: str) -> str:
    """What a reader sees: the page's text without tags, entities undone."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def japanese_sentences_of(html: str) -> str:
    """The Japanese text of a page's title and main part, without the record's stored values (a
    summary list shows the name as typed, 花子) and without the English side of a printed card."""
    main = re.sub(r'<section[^>]*lang="en-GB".*?</section>', "", main_of(html), flags=re.S)
    main = re.sub(r'<dd class="govuk-summary-list__value[^"]*">.*?</dd>', "", main, flags=re.S)
    return text_of(html[html.index("<title>") : html.index("</title>")] + main)


# 1. Each club's help line ------------------------------------------------------------------------------


def test_a_japanese_page_for_someone_signed_out_gives_the_club_in_japan_not_the_uk_line():
    setagaya()
    html = Client().get("/ja/").content.decode()
    assert SETAGAYA_PHONE in html and "平日 午前10時から午後6時" in html
    assert settings.HELP_PHONE not in html


def test_an_english_page_for_someone_signed_out_keeps_the_service_line():
    setagaya()
    html = Client().get("/en/").content.decode()
    assert settings.HELP_PHONE in html and SETAGAYA_PHONE not in html


def test_with_several_clubs_in_japan_a_signed_out_visitor_chooses_from_the_list_of_clubs():
    setagaya()
    AreaFactory(slug="kyoto", name="Kyoto", name_ja="京都市", country="JP", help_phone="075-555-0100")
    html = Client().get("/ja/").content.decode()
    assert 'href="/ja/clubs/"' in html
    assert settings.HELP_PHONE not in html
    clubs = text_of(Client().get("/ja/clubs/").content.decode())
    assert "世田谷区" in clubs and SETAGAYA_PHONE in clubs and "京都市" in clubs and "075-555-0100" in clubs


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_of_clubs_costs_the_same_queries_for_one_club_or_twenty(count, django_assert_num_queries):
    for n in range(count):
        AreaFactory(slug=f"jp-{n}", name=f"Club {n}", country="JP", help_phone=f"03-5555-{n:04d}")
    client = Client()
    # 1. the clubs in Japan for the list; 2. the same for the "Need help?" block.
    with django_assert_num_queries(2):
        response = client.get("/ja/clubs/")
    assert response.status_code == 200


def test_a_signed_in_person_gets_their_own_club_on_japanese_pages():
    area = setagaya()
    AreaFactory(slug="kyoto", name="Kyoto", country="JP", help_phone="075-555-0100")
    referrer = UserFactory(is_referrer=True, home_area=area, preferred_language="ja")
    html = verified_client(referrer).get("/ja/account/").content.decode()
    assert SETAGAYA_PHONE in html and "075-555-0100" not in html and settings.HELP_PHONE not in html


def test_a_password_reset_email_in_japanese_for_an_unknown_address_gives_the_club_in_japan():
    setagaya()
    Client().post("/ja/accounts/password/reset/", {"email": "nobody@example.org"})
    bodies = [email.body for email in OutboundEmail.objects.all()] + [m.body for m in mail.outbox]
    assert bodies and all(SETAGAYA_PHONE in body and settings.HELP_PHONE not in body for body in bodies)


# 1, 2, 4, 8. The diner's printed card ------------------------------------------------------------------


def test_a_japanese_diners_card_has_their_club_formal_name_katakana_brand_and_no_uk_phone():
    area = setagaya()
    diner = hanako(area)
    coordinator = coordinator_of(area)
    html = verified_client(coordinator).get(f"/ja/coordinator/diners/{diner.pk}/card/").content.decode()
    japanese_side = text_of(html[html.index('aria-labelledby="card-ja-title"') : html.index("card-en-title")])
    start = html.index('aria-labelledby="card-en-title"')
    english_side = text_of(html[start : html.index("</section>", start)])
    assert SETAGAYA_PHONE in japanese_side and settings.HELP_PHONE not in html
    # The card's own catalogue entries: キャセロール in katakana (issue 19, point 8).
    with translation.override("ja"):
        brand = translation.gettext("Casserole – meals from a neighbour")
    assert brand in japanese_side
    assert "山田 花子様" in japanese_side
    assert "花子" in english_side and "様" not in english_side and "さん" not in english_side


# 2. Addresses the Japanese way ---------------------------------------------------------------------------


def test_a_japanese_address_is_written_postcode_first_then_from_the_prefecture_down():
    area = setagaya()
    assert address_lines(hanako(area)) == ["〒154-0004", "東京都世田谷区太子堂4丁目1-1", "コーポ太子堂201"]
    uk = DinerFactory(address_line1="12 Mare Street", town="London", postcode="E8 1DY", country="GB")
    assert address_lines(uk) == ["12 Mare Street", "London", "E8 1DY"]


def test_the_coordinators_record_of_a_japanese_diner_shows_the_address_in_japanese_order():
    area = setagaya()
    diner = hanako(area)
    coordinator = coordinator_of(area)
    html = verified_client(coordinator).get(f"/ja/coordinator/diners/{diner.pk}/").content.decode()
    assert "〒154-0004<br>東京都世田谷区太子堂4丁目1-1<br>コーポ太子堂201" in html


def test_the_address_form_asks_a_japanese_address_in_its_own_order_with_its_own_labels():
    with translation.override("ja"):
        form = SECTIONS["address"](country="JP")
        order = [name for name in form.fields if name != "country"]
        assert order == ["postcode", "town", "address_line1", "address_line2"]
        assert form.fields["postcode"].input_prefix == "〒"
        html = str(form)
    assert html.index('name="postcode"') < html.index('name="town"') < html.index('name="address_line1"')
    assert '<div class="govuk-input__prefix" aria-hidden="true">〒</div>' in html
    uk = SECTIONS["address"](country="GB")
    assert [name for name in uk.fields if name != "country"] == ["address_line1", "address_line2", "town", "postcode"]


def test_a_form_laid_out_by_hand_gets_the_address_boxes_in_the_countrys_order():
    form = PostalAddressFields()
    form.arrange_address_for("JP")
    assert [field.name for field in form.address_fields] == ["postcode", "town", "address_line1", "address_line2"]


# 4. Names and honorifics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "form", "formal", "japanese", "english"),
    [
        ("花子", "", False, "花子さん", "花子"),
        ("花子", "様", False, "花子様", "花子"),
        ("花子さん", "", False, "花子さん", "花子さん"),  # typed with it before the form was stored
        ("山田 花子", "さん", True, "山田 花子様", "山田 花子"),
        ("Edie", "", False, "Edieさん", "Edie"),
    ],
)
def test_japanese_output_adds_the_honorific_with_no_space_and_english_output_leaves_the_name(
    name, form, formal, japanese, english
):
    assert addressed(name, form=form, formal=formal, language="ja") == japanese
    assert addressed(name, form=form, formal=formal, language="en") == english


def test_an_addressed_name_reads_in_the_language_active_when_it_is_written_out():
    name = AddressedName("花子", form="さん")
    with translation.override("ja"):
        assert f"{name}" == "花子さん"
    with translation.override("en"):
        assert f"{name}" == "花子"


def test_the_referrers_japanese_pages_give_the_diner_san_with_no_space_and_never_a_bare_name():
    area = setagaya()
    diner = hanako(area)
    referrer = UserFactory(is_referrer=True, home_area=area, preferred_language="ja")
    ProxyAccessFactory(diner=diner, referrer=referrer, can_give_feedback=True, can_edit_details=True)
    client = verified_client(referrer)
    for url in (f"/ja/diners/{diner.pk}/", f"/ja/diners/{diner.pk}/schedule/", f"/ja/diners/{diner.pk}/card/"):
        html = client.get(url).content.decode()
        page = japanese_sentences_of(html)
        assert not re.search(r"\S[ \u3000]さん", page), url
        assert "さんさん" not in page and "様さん" not in page, url  # never two honorifics
        # Every mention of her name carries an honorific (山田 花子 in full on the card takes 様).
        for match in re.finditer("花子", page):
            assert page[match.end() : match.end() + 2] in ("さん", "様") or page[match.end()] == "様", (url, page)
        assert "花子さん" in page or "花子様" in page, url
        assert settings.HELP_PHONE not in html, url


def test_a_japanese_referrers_email_about_the_diner_adds_san_and_gives_the_clubs_line():
    area = setagaya()
    diner = hanako(area)
    coordinator = coordinator_of(area)
    with translation.override("ja"):
        watch.add_watch_recipient(
            by=coordinator,
            diner=diner,
            name="山田 太郎",
            email="taro@example.org",
            language="ja",
            agreed=True,
            channel="phone",
        )
    email = OutboundEmail.objects.get(to="taro@example.org")
    assert "花子さん" in email.subject + email.body and " さん" not in email.body
    assert SETAGAYA_PHONE in email.body and settings.HELP_PHONE not in email.body


def test_a_cook_is_addressed_once_in_japanese_and_left_as_typed_in_english():
    """The catalogue adds no さん of its own (tests/test_japanese_catalogue.py): the page addresses the name."""
    area = setagaya()
    match = MatchFactory(diner=hanako(area), cook=UserFactory(full_name="田中 一郎", is_cook=True, home_area=area))
    client = verified_client(coordinator_of(area))
    for language, title in (("ja", "田中 一郎さんと花子さん"), ("en", "田中 一郎 and 花子")):
        html = client.get(f"/{language}/coordinator/matches/{match.pk}/").content.decode()
        assert text_of(html[html.index("<title>") : html.index("</title>")]).startswith(title), html
        assert "さんさん" not in html


@pytest.mark.parametrize(
    ("full_name", "cook"),
    [
        ("田中 一郎", "一郎さん"),  # the given name, addressed
        ("田中一郎", "料理ボランティア"),  # no given name to show: the stand-in takes no さん
    ],
)
def test_a_japanese_referrers_email_addresses_the_cook_but_not_the_stand_in(full_name, cook):
    area = setagaya()
    diner = hanako(area)
    referrer = UserFactory(full_name="山田 太郎", is_referrer=True, home_area=area, preferred_language="ja")
    ProxyAccessFactory(diner=diner, referrer=referrer)
    match = MatchFactory(
        diner=diner, cook=UserFactory(full_name=full_name, is_cook=True, home_area=area), status=Match.Status.ACTIVE
    )
    matching.change_match(by=coordinator_of(area), match=match, action="pause", reason="旅行中")

    body = OutboundEmail.objects.get(to=referrer.email).body
    assert body.startswith("太郎様")  # a letter's greeting: 様, from the formally filter
    with translation.override("ja"):
        paused = translation.gettext("%(diner_name)s's meals with %(cook_name)s are paused for now.")
    assert paused % {"diner_name": "花子さん", "cook_name": cook} in body
    assert "料理ボランティアさん" not in body


def tokyo_meal(diner, cook_name: str) -> Meal:
    """A meal the day after tomorrow, proposed by a cook named `cook_name` in an active match."""
    cook = UserFactory(full_name=cook_name, is_cook=True, home_area=diner.area)
    match = MatchFactory(diner=diner, cook=cook, status=Match.Status.ACTIVE)
    starts_at = timezone.now() + timedelta(days=2)
    return Meal.objects.create(
        match=match, cook=cook, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), dish="肉じゃが"
    )


@pytest.mark.parametrize(
    ("language", "full_name", "cook"),
    [
        ("ja", "田中 一郎", "一郎さん"),  # the given name, addressed
        ("ja", "田中一郎", "田中一郎さん"),  # no given name to tell apart: the name as typed, addressed
        ("ja", "", None),  # no name at all: the stand-in (their cook), in Japanese, takes no さん
        ("en", "田中 一郎", "一郎"),  # English leaves the name as typed
    ],
)
def test_a_schedule_email_addresses_the_cook_in_japanese_only_and_never_the_stand_in(language, full_name, cook):
    area = setagaya()
    diner = hanako(area)
    referrer = UserFactory(full_name="山田 太郎", is_referrer=True, home_area=area, preferred_language=language)
    ProxyAccessFactory(diner=diner, referrer=referrer)

    notices.tell_diner_side(tokyo_meal(diner, full_name), "proposed")  # by a cook using the English site

    body = OutboundEmail.objects.get(to=referrer.email).body
    with translation.override(language):
        sentence = translation.gettext("%(cook_name)s would like to bring %(diner_name)s a meal on %(when)s: %(dish)s.")
        stand_in = translation.gettext("their cook")
    diner_name = addressed("花子", language=language)
    opening = sentence.split("%(when)s")[0] % {"cook_name": cook or stand_in, "diner_name": diner_name}
    assert opening in body, body
    assert "さんさん" not in body and f"{stand_in}さん" not in body


@pytest.mark.parametrize(("language", "told"), [("ja", "一郎さん"), ("en", "一郎")])
def test_the_banner_after_confirming_a_meal_addresses_the_cook_in_japanese_only(language, told):
    area = setagaya()
    diner = hanako(area)
    referrer = UserFactory(full_name="山田 太郎", is_referrer=True, home_area=area, preferred_language=language)
    ProxyAccessFactory(diner=diner, referrer=referrer, can_confirm_meals=True)
    meal = tokyo_meal(diner, "田中 一郎")

    response = verified_client(referrer).post(
        f"/{language}/diners/{diner.pk}/meals/{meal.pk}/decide/", {"decision": "confirm"}, follow=True
    )

    with translation.override(language):
        confirmed = translation.gettext("Meal confirmed. We have told %(cook)s.") % {"cook": told}
    assert confirmed in text_of(response.content.decode())


@pytest.mark.parametrize(("language", "heading"), [("ja", "田中 一郎さんの位置"), ("en", "Place 田中 一郎 on the map")])
def test_the_heading_of_the_page_placing_a_cook_addresses_them_in_japanese_only(language, heading):
    area = setagaya()
    cook = UserFactory(full_name="田中 一郎", is_cook=True, home_area=area)
    CookProfileFactory(user=cook, unplaced=True)

    html = verified_client(coordinator_of(area)).get(f"/{language}/coordinator/cooks/{cook.pk}/location/").content
    html = html.decode()

    h1 = text_of(html[html.index("<h1") : html.index("</h1>")])
    title = text_of(html[html.index("<title>") : html.index("</title>")])
    assert heading in h1 and heading in title
    assert "さんさん" not in html


def test_the_email_about_a_closed_account_addresses_the_cook_and_lists_each_diner_addressed():
    area = setagaya()
    coordinator = coordinator_of(area)
    cook = UserFactory(full_name="田中 一郎", is_cook=True, home_area=area)
    MatchFactory(diner=hanako(area), cook=cook, status=Match.Status.ACTIVE)

    closing.close_account(user=cook, by=cook)

    email = OutboundEmail.objects.get(to=coordinator.email)
    assert "田中 一郎さん" in email.subject
    assert "\n- 花子さん: " in email.body and "\n- 花子:" not in email.body


# 7. Welfare practice -------------------------------------------------------------------------------------


def test_japanese_referrer_types_are_offered_for_a_diner_in_japan_only():
    japan = dict(SECTIONS["relationship"](country="JP", signed_in=True).fields["relationship"].choices)
    uk = dict(SECTIONS["relationship"](country="GB", signed_in=True).fields["relationship"].choices)
    japanese_types = set(Referral.JAPAN_ONLY_RELATIONSHIPS)
    assert japanese_types <= set(japan) and not japanese_types & set(uk)


def test_textures_read_as_universal_design_food_categories_in_japanese():
    with translation.override("ja"):
        labels = [str(label) for _value, label in Diner.Texture.choices]
    assert labels[1:] == [
        "容易にかめる（区分1）",
        "歯ぐきでつぶせる（区分2）",
        "舌でつぶせる（区分3）",
        "かまなくてよい（区分4）",
    ]
    with translation.override("en"):
        assert str(Diner.Texture.SOFT.label) == "Soft and bite-sized"


def test_the_japanese_allergy_list_explains_the_names_few_people_know():
    with translation.override("ja"):
        html = str(SECTIONS["diet"](country="JP"))
    assert "特定原材料" in html and "特定原材料に準ずるもの" in html
    hint = re.search(r'id="([^"]+)-hint" class="govuk-hint govuk-checkboxes__hint">保存料', html)
    assert hint is not None
    assert f'aria-describedby="{hint.group(1)}-hint"' in html
    assert "豆の一種です" in html  # ルピナス


# 3. Examples from the reader's country ---------------------------------------------------------------------


def test_japanese_date_time_and_phone_examples_are_written_the_japanese_way():
    with translation.override("ja"):
        date_hint = str(ProposeForm.base_fields["day"].help_text)
        time_hint = str(IntroductionForm.base_fields["time"].help_text)
        phone_example = str(PHONE_EXAMPLE_ERROR)
    assert "2026年11月27日" in date_hint and "27 11" not in date_hint
    assert "午後2時30分" in time_hint and "pm" not in time_hint
    assert phone_example.index("03-1234-5678") < phone_example.index("090-1234-5678")
    assert "020 7946" not in phone_example
