"""The lessons tell cooks to do only what they can do today: Casserole does not yet cancel meals, log
visits, record concerns or ask for an allergen check per meal, so no lesson tells a cook to do those
on Casserole. What to do instead is to tell the diner and the coordinator (by phone when it is soon).

The text is v1's, corrected in place: `load_course` updates a changed lesson where it stands (docs/
production.md), so the correction reaches a site that loaded the old text without a new version."""

import pytest

from training.content import CONTENT_DIR
from training.models import Lesson
from training.services import load_course

pytestmark = pytest.mark.django_db

# What the lessons once told cooks to do on Casserole, in each language.
PROMISES = {
    "en": (
        "mark the meal as cancelled",
        "log the visit",
        "record it as a concern",
        "Casserole asks you to confirm",
        "confirm on Casserole",
    ),
    "ja": (
        "Casseroleでそのお食事を取り消し",
        "キャセロールでそのお食事を取り消し",
        "訪問の記録",
        "確認の欄",
        "Casseroleでの「アレルゲンが入っていない」確認",
        "キャセロールでの「アレルゲンが入っていない」確認",
    ),
}

# v1's hygiene lesson, corrected: what a cook who cannot cook does instead.
WHAT_TO_DO = (
    "tell your coordinator as well, even if you have told your diner yourself. If the meal is today or tomorrow, "
    "phone them"
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_no_lesson_of_any_version_tells_cooks_to_do_what_casserole_cannot_do_yet(language):
    lessons = sorted(CONTENT_DIR.glob(f"v*/{language}/*.md"))
    assert lessons
    for path in lessons:
        text = path.read_text(encoding="utf-8")
        for promise in PROMISES[language]:
            assert promise not in text, f"{path.relative_to(CONTENT_DIR)} still says “{promise}”"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_hygiene_lesson_page_makes_none_of_those_promises(login_as, cook, course, language):
    response = login_as(cook).get(f"/{language}/training/lessons/hygiene/")

    assert response.status_code == 200
    html = response.content.decode()
    assert not [promise for promise in PROMISES[language] if promise in html]


def test_loading_the_course_again_replaces_the_old_lesson_text(db):
    course = load_course(version="v1")
    lesson = Lesson.objects.get(course=course, slug="hygiene")
    old = "- mark the meal as cancelled on Casserole so your coordinator can see it;\n"
    Lesson.objects.filter(pk=lesson.pk).update(body_en=lesson.body_en + old)

    load_course(version="v1", make_current=False)

    lesson.refresh_from_db()
    assert "mark the meal as cancelled" not in lesson.body_en
    assert WHAT_TO_DO in lesson.body_en
    assert Lesson.objects.get(pk=lesson.pk).pk == lesson.pk  # the same lesson: progress keeps pointing at it
