"""The course comes from version-controlled files; loading is repeatable and refuses broken files."""

import shutil
from pathlib import Path

import pytest
import yaml

from training.content import CONTENT_DIR, ContentError, read_course
from training.models import Course, Lesson, Question
from training.services import load_course

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Course.objects.count(), Lesson.objects.count(), Question.objects.count()


def test_the_course_has_eight_lessons_and_at_least_forty_explained_questions(course):
    assert course.version == "v1"
    assert course.is_current
    assert course.pass_mark_percent == 80
    assert course.lessons.count() == 8
    questions = list(course.questions.filter(is_active=True))
    assert len(questions) >= 40
    for question in questions:
        for language in ("en", "ja"):
            assert question.text(language).strip(), question.key
            assert question.explanation(language).strip(), question.key
        assert question.explanation_ja != question.explanation_en  # really translated
        assert len(question.options_en) == len(question.options_ja) >= 2
        assert 0 <= question.answer < len(question.options_en)
    for lesson in course.lessons.all():
        assert lesson.title_en and lesson.title_ja and lesson.body_en and lesson.body_ja
        assert lesson.questions.count() >= course.questions_per_lesson


def test_loading_twice_changes_nothing(course):
    before = counts()
    lesson_ids = set(Lesson.objects.values_list("pk", flat=True))
    question_ids = set(Question.objects.values_list("pk", flat=True))

    again = load_course(version="v1")

    assert again.pk == course.pk
    assert counts() == before
    assert set(Lesson.objects.values_list("pk", flat=True)) == lesson_ids
    assert set(Question.objects.values_list("pk", flat=True)) == question_ids
    assert Course.objects.filter(is_current=True).count() == 1


def test_the_load_course_command_loads_every_version_and_makes_the_latest_current(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_course", stdout=out)
    assert "8 lessons" in out.getvalue() and "9 lessons" in out.getvalue()
    assert Course.objects.get(is_current=True).version == "v2"
    assert Course.objects.filter(version="v1", is_current=False).exists()


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of v1 that a test can break."""
    shutil.copytree(CONTENT_DIR / "v1", tmp_path / "v1")
    return tmp_path


def edit_questions(root: Path, change) -> None:
    path = root / "v1" / "questions.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(bank["questions"])
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")


def test_the_copy_itself_is_fine(content_copy):
    assert len(read_course("v1", root=content_copy).lessons) == 8


def test_a_question_naming_an_unknown_lesson_is_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[0].update(lesson="no-such-lesson"))
    with pytest.raises(ContentError, match="unknown lesson no-such-lesson"):
        read_course("v1", root=content_copy)


def test_options_differing_between_languages_are_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[3]["ja"]["options"].append("余分な選択肢"))
    with pytest.raises(ContentError, match="options differ"):
        read_course("v1", root=content_copy)


def test_an_answer_out_of_range_is_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[0].update(answer=len(qs[0]["en"]["options"])))
    with pytest.raises(ContentError, match="out of range"):
        read_course("v1", root=content_copy)


def test_a_duplicate_question_key_is_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[1].update(key=qs[0]["key"]))
    with pytest.raises(ContentError, match="appears twice"):
        read_course("v1", root=content_copy)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_question_without_an_explanation_is_refused(content_copy, language):
    edit_questions(content_copy, lambda qs: qs[0][language].update(explanation="  "))
    with pytest.raises(ContentError, match="explanation"):
        read_course("v1", root=content_copy)


def test_a_question_missing_a_language_is_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[0].pop("ja"))
    with pytest.raises(ContentError, match="ja"):
        read_course("v1", root=content_copy)


def test_a_lesson_missing_in_one_language_is_refused(content_copy):
    (content_copy / "v1" / "ja" / "08-older-people.md").unlink()
    with pytest.raises(ContentError, match="no text in ja"):
        read_course("v1", root=content_copy)


def test_too_few_questions_for_a_lesson_is_refused(content_copy):
    def keep_one_for_the_first_lesson(questions):
        first = questions[0]["lesson"]
        questions[:] = [q for q in questions if q["lesson"] != first] + [questions[0]]

    edit_questions(content_copy, keep_one_for_the_first_lesson)
    with pytest.raises(ContentError, match="fewer than 2 questions"):
        read_course("v1", root=content_copy)


def test_a_compulsory_flag_that_is_not_true_or_false_is_refused(content_copy):
    edit_questions(content_copy, lambda qs: qs[0].update(compulsory="yes"))
    with pytest.raises(ContentError, match="compulsory must be true or false"):
        read_course("v1", root=content_copy)


def test_compulsory_questions_do_not_count_towards_a_lessons_questions(content_copy):
    """They are drawn on top of the lesson's own: a lesson needs enough ordinary ones as well."""

    def make_all_but_one_of_the_first_lesson_compulsory(questions):
        first = [q for q in questions if q["lesson"] == questions[0]["lesson"]]
        for question in first[1:]:
            question["compulsory"] = True

    edit_questions(content_copy, make_all_but_one_of_the_first_lesson_compulsory)
    with pytest.raises(ContentError, match="fewer than 2 questions"):
        read_course("v1", root=content_copy)


def test_a_broken_course_is_not_loaded(content_copy, monkeypatch):
    from training import services

    edit_questions(content_copy, lambda qs: qs[0].update(lesson="no-such-lesson"))
    monkeypatch.setattr(services, "read_course", lambda version: read_course(version, root=content_copy))
    with pytest.raises(ContentError):
        load_course(version="v1")
    assert counts() == (0, 0, 0)
