"""The result page, the cook's certificate, the public check and the certificate rule used by
matching. The public check shows first name, course and valid/expired: nothing else."""

import re
import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.factories import UserFactory
from tests.training.conftest import answers_with, certify, read_every_lesson
from training.models import Certificate
from training.selectors import has_valid_certificate, latest_certificate
from training.services import start_attempt, submit_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def marion(area_a):
    """A cook with a surname, email and phone that appear nowhere else on the site."""
    return UserFactory(
        full_name="Marion Quennell-Abercrombie",
        email="marion.q@example.org",
        phone="07700 900123",
        is_cook=True,
        home_area=area_a,
    )


@pytest.fixture
def passed(course, marion) -> Certificate:
    read_every_lesson(marion, course)
    attempt = start_attempt(user=marion, course=course)
    submit_attempt(user=marion, attempt=attempt, answers=answers_with(attempt, right=16))
    return Certificate.objects.get(user=marion)


# The result page ----------------------------------------------------------------------------------------


@pytest.fixture
def failed_attempt(course, cook):
    read_every_lesson(cook, course)
    attempt = start_attempt(user=cook, course=course)
    return submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=10))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_result_shows_each_wrong_answer_with_its_explanation(login_as, cook, failed_attempt, language):
    response = login_as(cook).get(f"/{language}/training/quiz/{failed_attempt.pk}/result/")

    assert response.status_code == 200
    html = response.content.decode()
    other = "ja" if language == "en" else "en"
    items = list(failed_attempt.items.select_related("question").order_by("position"))
    wrong = [item for item in items if not item.is_correct]
    assert len(wrong) == 6
    for item in wrong:
        question = item.question
        assert escape(question.explanation(language)) in html
        assert escape(question.explanation(other)) not in html
        assert escape(question.text(language)) in html
        assert escape(question.options(language)[question.answer]) in html  # the right answer
    for item in items:
        if item.is_correct:
            assert escape(item.question.explanation(language)) not in html
    if language == "en":
        assert "You did not pass this time" in html
        assert "You got 10 out of 16 right (62%)." in html


def test_a_pass_shows_only_the_wrong_answers(login_as, course, cook):
    read_every_lesson(cook, course)
    attempt = start_attempt(user=cook, course=course)
    submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=14))

    html = login_as(cook).get(f"/en/training/quiz/{attempt.pk}/result/").content.decode()

    assert "You passed" in html
    assert "The 2 questions you got wrong" in html


def test_the_course_page_shows_the_last_result(login_as, cook, failed_attempt):
    html = login_as(cook).get("/en/training/").content.decode()
    assert "10 out of 16 (62%)" in html
    assert f"/en/training/quiz/{failed_attempt.pk}/result/" in html


def test_another_cook_cannot_see_a_result(login_as, second_cook, failed_attempt):
    client = login_as(second_cook)
    assert client.get(f"/en/training/quiz/{failed_attempt.pk}/result/").status_code == 404
    assert client.get(f"/en/training/quiz/{failed_attempt.pk}/").status_code == 404
    assert client.post(f"/en/training/quiz/{failed_attempt.pk}/", {}).status_code == 404


# The certificate page --------------------------------------------------------------------------------------


def test_the_certificate_page_shows_name_course_version_dates_and_code(login_as, marion, passed):
    response = login_as(marion).get(f"/en/training/certificates/{passed.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Marion Quennell-Abercrombie" in html
    assert "Food safety for Casserole cooks" in html
    assert ">v1<" in html
    assert passed.code in html
    assert "Valid until" in html
    # "See what someone checking your code will see" posts the code: it is never in an address.
    assert "?code=" not in html
    assert re.search(
        rf'<form method="post" action="/en/certificates/check/"[^>]*>.*?name="code" value="{passed.code}"', html, re.S
    )


def test_the_certificate_page_says_when_it_has_expired(login_as, marion, passed):
    Certificate.objects.filter(pk=passed.pk).update(expires_at=timezone.now() - timedelta(days=1))
    html = login_as(marion).get(f"/en/training/certificates/{passed.pk}/").content.decode()
    assert "This certificate expired on" in html
    assert "Expired on" in html


def test_the_certificate_is_only_for_its_owner(login_as, cook, passed):
    client = login_as(cook)
    theirs = client.get(f"/en/training/certificates/{passed.pk}/")
    assert theirs.status_code == 404
    assert passed.code not in theirs.content.decode()


def test_the_course_page_links_the_certificate(login_as, marion, passed):
    html = login_as(marion).get("/en/training/").content.decode()
    assert f"/en/training/certificates/{passed.pk}/" in html


# The public check ----------------------------------------------------------------------------------------


def check(client, code: str, language: str = "en"):
    response = client.post(f"/{language}/certificates/check/", {"code": code})
    assert response.status_code == 200
    return response.content.decode()


def test_the_check_page_asks_for_a_code(client):
    html = client.get("/en/certificates/check/").content.decode()
    assert "Check a food-safety certificate" in html
    assert 'name="code"' in html
    assert "govuk-error-summary" not in html


def test_a_valid_code_shows_first_name_course_and_valid(client, passed):
    html = check(client, passed.code)

    assert "Marion" in html
    assert "Food safety for Casserole cooks" in html
    assert "Valid" in html
    assert "Expired" not in html


def test_the_check_shows_nothing_else_about_the_cook(client, marion, passed):
    html = check(client, passed.code)

    for private in ("Quennell", "Abercrombie", marion.email, "marion.q", marion.phone, "900123", "Area A"):
        assert private not in html, private
    # Nor anything that leads to the cook, the attempt or the certificate's own page.
    assert f"/training/certificates/{passed.pk}/" not in html
    assert f"/training/quiz/{passed.attempt_id}/" not in html


@pytest.mark.parametrize(
    ("full_name", "shown", "hidden"),
    [
        ("佐藤 花子", "花子", "佐藤"),  # family name first: the given name is the last part
        ("佐藤　花子", "花子", "佐藤"),  # an ideographic space
        ("佐藤花子", None, "佐藤花子"),  # cannot be split: nothing is shown rather than the surname
        ("Mary Jane Smith", "Mary", "Smith"),
    ],
)
def test_the_check_shows_the_given_name_only(client, course, area_a, full_name, shown, hidden):
    cook = UserFactory(full_name=full_name, email="named@example.org", is_cook=True, home_area=area_a)
    certificate = certify(cook, course)

    html = check(client, certificate.code)

    assert "Food safety for Casserole cooks" in html
    if shown:
        assert shown in html
    assert hidden not in html
    assert "named@example.org" not in html


def test_the_check_works_in_japanese(client, passed):
    html = check(client, passed.code, "ja")
    assert "Casserole 料理ボランティアのための食品衛生講座" in html
    assert "Marion" in html


def test_an_expired_certificate_shows_expired(client, passed):
    Certificate.objects.filter(pk=passed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    html = check(client, passed.code)
    assert "Expired" in html
    assert "Valid until" not in html


def test_a_revoked_certificate_is_not_valid(client, passed):
    Certificate.objects.filter(pk=passed.pk).update(revoked_at=timezone.now())
    html = check(client, passed.code)
    assert "Withdrawn" in html
    assert "Valid until" not in html


def test_an_unknown_code_is_not_found(client, passed):
    html = check(client, "ZZZZ-ZZZZ-ZZZZ")
    assert "No certificate found" in html
    assert "Marion" not in html


@pytest.mark.parametrize("code", ["ABC", "ABCD-EFGH-JKLM-N", "----", "!!!!!!!!!!!!"])
def test_a_malformed_code_is_a_form_error(client, passed, code):
    html = check(client, code)
    assert "govuk-error-summary" in html
    assert "Enter the 12-character code printed on the certificate" in html
    assert "No certificate found" not in html
    assert "Marion" not in html


def test_an_empty_code_is_a_form_error(client):
    html = check(client, "")
    assert "Enter the certificate code" in html


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else "－" if c == "-" else c for c in text)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", " "),
        lambda code: " " + code.replace("-", "").lower() + " ",
        lambda code: code.replace("-", "　"),  # an ideographic space
        full_width,
        lambda code: full_width(code.lower()),
    ],
    ids=["lower", "spaces", "no-dashes", "ideographic-spaces", "full-width", "full-width-lower"],
)
def test_the_code_can_be_typed_loosely(client, passed, typed):
    entered = typed(passed.code)
    assert entered != passed.code
    assert unicodedata.normalize("NFKC", entered).upper().replace(" ", "").replace("-", "") == passed.code.replace(
        "-", ""
    )

    html = check(client, entered)

    assert "Marion" in html
    assert "No certificate found" not in html


def test_the_code_is_sent_in_the_form_not_the_address(client, passed):
    html = client.get("/en/certificates/check/").content.decode()
    assert re.search(r'<form method="post"[^>]*action="/en/certificates/check/"', html)

    # A code in the query string is not looked up (it would be in every access log).
    html = client.get("/en/certificates/check/", {"code": passed.code}).content.decode()
    assert "Marion" not in html and "No certificate found" not in html


# The rule used by matching -------------------------------------------------------------------------------


def test_has_valid_certificate(course, cook):
    assert has_valid_certificate(cook) is False
    certificate = certify(cook, course)
    assert has_valid_certificate(cook) is True

    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert has_valid_certificate(cook) is False

    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert has_valid_certificate(cook) is True
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    assert has_valid_certificate(cook) is False


def test_has_valid_certificate_at_a_given_time(course, cook):
    certificate = certify(cook, course, expires_at=timezone.now() + timedelta(days=10))
    assert has_valid_certificate(cook, at=certificate.expires_at - timedelta(seconds=1)) is True
    assert has_valid_certificate(cook, at=certificate.expires_at) is False


def test_a_newer_certificate_keeps_the_cook_valid(course, cook):
    old = certify(cook, course, issued_at=timezone.now() - timedelta(days=1100))
    assert has_valid_certificate(cook) is False
    new = certify(cook, course)
    assert has_valid_certificate(cook) is True
    assert latest_certificate(cook) == new != old


def test_someone_elses_certificate_does_not_count(course, cook, second_cook):
    certify(second_cook, course)
    assert has_valid_certificate(cook) is False
