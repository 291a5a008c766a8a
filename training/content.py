"""Reading the course from version-controlled files: training/content/<version>/{course.yaml,
questions.yaml, en/*.md, ja/*.md}. Lessons are Markdown with YAML front matter."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "ja")
# Every version on file, oldest first. Past attempts and certificates point at the version they were
# taken on, so a version is never removed; new attempts use CURRENT_VERSION (load_courses).
VERSIONS = ("v1", "v2")
CURRENT_VERSION = "v2"
# libyaml's loader where it is installed: the pure-Python one takes most of a second for the bank.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str):
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)


class ContentError(Exception):
    """The course files are inconsistent; the message says where."""


@dataclass
class LessonText:
    slug: str
    order: int
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)


@dataclass
class CourseContent:
    version: str
    title: dict[str, str]
    pass_mark_percent: int
    questions_per_lesson: int
    lessons: list[LessonText]
    questions: list[dict]


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentError(f"{path}: must start with YAML front matter")
    _, head, body = text.split("---\n", 2)
    return _yaml(head) or {}, body.strip() + "\n"


def read_course(version: str, root: Path = CONTENT_DIR) -> CourseContent:
    base = root / version
    meta = _yaml((base / "course.yaml").read_text(encoding="utf-8"))
    lessons: dict[str, LessonText] = {}
    for language in LANGUAGES:
        for order, path in enumerate(sorted((base / language).glob("*.md")), start=1):
            head, body = _front_matter(path)
            slug = head.get("slug")
            if not slug or not head.get("title"):
                raise ContentError(f"{path}: front matter needs slug and title")
            lesson = lessons.setdefault(slug, LessonText(slug=slug, order=order))
            if lesson.order != order:
                raise ContentError(f"{path}: lesson {slug} is in a different position in another language")
            lesson.title[language] = head["title"]
            lesson.summary[language] = head.get("summary", "")
            lesson.body[language] = body
    for lesson in lessons.values():
        missing = [lang for lang in LANGUAGES if lang not in lesson.body]
        if missing:
            raise ContentError(f"lesson {lesson.slug} has no text in {', '.join(missing)}")
    bank = _yaml((base / "questions.yaml").read_text(encoding="utf-8"))
    questions = bank["questions"]
    keys = set()
    for question in questions:
        key = question["key"]
        if key in keys:
            raise ContentError(f"question {key} appears twice")
        keys.add(key)
        if question["lesson"] not in lessons:
            raise ContentError(f"question {key} names unknown lesson {question['lesson']}")
        for lang in LANGUAGES:
            text = question.get(lang)
            if not isinstance(text, dict):
                raise ContentError(f"question {key} has no text in {lang}")
            options = text.get("options")
            if not isinstance(options, list) or len(options) < 2 or not all(str(o).strip() for o in options):
                raise ContentError(f"question {key} needs at least two options in {lang}")
            for part in ("text", "explanation"):
                if not str(text.get(part) or "").strip():
                    raise ContentError(f"question {key} has no {part} in {lang}")
        if not isinstance(question.get("compulsory", False), bool):
            raise ContentError(f"question {key}: compulsory must be true or false")
        if not isinstance(question.get("answer"), int):
            raise ContentError(f"question {key}: answer must be the index of the right option")
        counts = {len(question[lang]["options"]) for lang in LANGUAGES}
        if len(counts) != 1 or not 0 <= question["answer"] < counts.pop():
            raise ContentError(f"question {key}: options differ between languages or the answer is out of range")
    per_lesson = int(meta.get("questions_per_lesson", 2))
    for slug in lessons:
        # Compulsory questions are drawn every time on top of these, so they do not count.
        if sum(1 for q in questions if q["lesson"] == slug and not q.get("compulsory")) < per_lesson:
            raise ContentError(f"lesson {slug} has fewer than {per_lesson} questions")
    return CourseContent(
        version=version,
        title={lang: meta["title"][lang] for lang in LANGUAGES},
        pass_mark_percent=int(meta.get("pass_mark_percent", 80)),
        questions_per_lesson=per_lesson,
        lessons=sorted(lessons.values(), key=lambda lesson: lesson.order),
        questions=questions,
    )
