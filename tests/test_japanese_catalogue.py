"""The Japanese catalogue and the Japanese course lessons keep the words docs/glossary.md chose
(issue 19): one word per concept for each audience, a polite register, Japanese formats and examples,
the brand in katakana and sentences short enough for older readers. Each test names the class of
problem it guards; a failure lists every offending string so it can be fixed in the catalogue."""

import re
from pathlib import Path

import polib
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"
LESSONS = sorted((ROOT / "training" / "content").glob("*/ja/*.md"))
QUESTION_BANKS = sorted((ROOT / "training" / "content").glob("*/questions.yaml"))

# Where a string is shown decides who reads it. These paths (the `#:` occurrences) are the
# coordinator's side: there the diner is 利用者. Everywhere else (public pages, cooks, the people who
# ask for meals or act for a diner) the diner is お食事を受け取る方.
COORDINATOR_PATHS = (
    "accounts/admin.py",
    "accounts/review/",
    "casserole/audit_actions.py",
    "casserole/channels.py",
    "meals/callbacks/services.py",
    "meals/diners/forms.py",
    "meals/impact/",
    "meals/records/",
    "meals/rights/closing.py",
    "meals/rights/consents",
    "meals/rights/erasure",
    "meals/rights/forms.py",
    "meals/signposting/",
    "meals/relationships/forms/loneliness.py",
    "meals/relationships/loneliness.py",
    "meals/relationships/views/loneliness.py",
    "meals/schedule/forms/coordinator.py",
    "meals/schedule/views/coordinator.py",
    "meals/triage/",
    "meals/workspace/",
    "templates/accounts/onboarding/email/cook_move",
    "templates/accounts/people/email/invitation_",
    "templates/accounts/people/invitation_accept.html",
    "templates/accounts/people/invite.html",
    "templates/accounts/review/",
    "templates/meals/callbacks/callback.html",
    "templates/meals/callbacks/email/",
    "templates/meals/callbacks/queue.html",
    "templates/meals/impact/",
    "templates/meals/matching/coordinator/",
    "templates/meals/matching/email/match_coordinator_",
    "templates/meals/records/",
    "templates/meals/rights/closing/coordinator_close.html",
    "templates/meals/rights/consents/",
    "templates/meals/rights/email/",
    "templates/meals/rights/erasure/",
    "templates/meals/signposting/_diner_support.html",
    "templates/meals/signposting/_service.html",
    "templates/meals/signposting/directory.html",
    "templates/meals/signposting/outcome.html",
    "templates/meals/signposting/refer.html",
    "templates/meals/signposting/service_form.html",
    "templates/meals/relationships/concerns/concern.html",
    "templates/meals/relationships/concerns/coordinator_new.html",
    "templates/meals/relationships/concerns/queue.html",
    "templates/meals/relationships/door/",
    "templates/meals/relationships/email/concern_escalated_",
    "templates/meals/relationships/email/concern_raised_",
    "templates/meals/relationships/email/door_",
    "templates/meals/relationships/email/feedback_different_cook_",
    "templates/meals/relationships/feedback/coordinator.html",
    "templates/meals/relationships/loneliness/",
    "templates/meals/relationships/timeline/coordinator.html",
    "templates/meals/relationships/watch/coordinator.html",
    "templates/meals/schedule/coordinator/",
    "templates/meals/triage/",
    "templates/meals/workspace/",
    "templates/training/email/certificate_expired_coordinator_",
)

# Retired variants (docs/glossary.md), never allowed in any Japanese string or lesson.
RETIRED = {
    "利用者さん": "the diner: 利用者 (coordinators) or お食事を受け取る方 (everyone else)",
    "利用者ご本人": "ご本人",
    "お年寄り": "高齢の方",
    "紹介者": "申込者 or 代理で手続きする方",
    "英国": "イギリス",
    "よみがな": "フリガナ",
    "お問い合わせ窓口": "相談窓口",
    "ステップの一覧": "チェックリスト (the cook's checklist)",
    "あなたのステップ": "チェックリスト (the cook's checklist)",
    "家への入り方": "お宅への入り方 (how a cook gets into the diner's home)",
    "料理ボランティアの家": "the diner's home is お宅",
    "あなたの": "マイページ, 登録内容, ご住所, ご自身の… (or no possessive at all)",
    "何をしたいですか": "どれをご希望ですか？",
    "よくできました": "おめでとうございます (adults, not pupils)",
    "隠す": "非表示にする",
}
# ふりがな is also retired in the interface (the name field is フリガナ); a lesson may still say
# ふりがな for the small kana printed over hard kanji on a label, which is a different thing.
RETIRED_IN_CATALOGUE = {"ふりがな": "フリガナ"}
# Whole button labels that read as English.
RETIRED_LABELS = {"続ける": "次へ", "隠す": "非表示にする"}

# Sentences over the limit that must stay long, with the reason. Empty: every sentence is short.
LONG_SENTENCE_ALLOWED: dict[str, str] = {}
SENTENCE_LIMIT = 80

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")
_COUNTERS = "キロメートル|キロ|km|マイル|分|時間|日|週間|か月|人|件|回|問|歳|文字|ステップ|品目|円"
_NUMBER_SPACE_UNIT = re.compile(rf"(?:\d|%\([a-z_]+\)[sd]) +(?:{_COUNTERS})")
_UK_PHONE = re.compile(r"0300|07700|020 ?7946")
_DATE_WITH_SPACES = re.compile(r"\b\d{4} \d{1,2} \d{1,2}\b")
_TWELVE_HOUR = re.compile(r"\d(?::\d\d)?\s?(?:am|pm)\b", re.IGNORECASE)
_SPACE_BEFORE_SAN = re.compile(r"[ \u3000]さん")
# さん or 様 (but not 様子, "how someone is") straight after %(name)s or {name}.
_HONORIFIC_AFTER_PLACEHOLDER = re.compile(r"(?:%\(\w+\)s|\{\w+\})(?:さん|様(?!子))")


def _catalogue():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if entry.msgid and not entry.obsolete]


ENTRIES = _catalogue()


def _texts(entry):
    """Every Japanese form of an entry (one for a plain entry, each plural form otherwise)."""
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


def _on_coordinator_side(entry):
    return any(path.startswith(COORDINATOR_PATHS) for path, _line in entry.occurrences)


def _only_on_coordinator_side(entry):
    return bool(entry.occurrences) and all(path.startswith(COORDINATOR_PATHS) for path, _line in entry.occurrences)


def _offending(predicate):
    return [(entry.msgid, text) for entry in ENTRIES for text in _texts(entry) if predicate(entry, text)]


def _visible(text):
    """What a reader sees of a string: no HTML tags, no URLs, placeholders as one short word."""
    return _PLACEHOLDER.sub("XX", _URL.sub("", _TAG.sub("", text)))


def test_the_catalogue_is_complete_and_read():
    assert len(ENTRIES) > 1000
    assert all(text for entry in ENTRIES for text in _texts(entry)), "untranslated entries"


@pytest.mark.parametrize("term", sorted({**RETIRED, **RETIRED_IN_CATALOGUE}))
def test_no_retired_term_in_the_catalogue(term):
    found = _offending(lambda entry, text: term in text)
    assert found == [], f"{term} is retired, use {({**RETIRED, **RETIRED_IN_CATALOGUE})[term]}: {found}"


def test_the_diner_is_riyousha_only_on_the_coordinators_side():
    found = _offending(lambda entry, text: "利用者" in text and not _on_coordinator_side(entry))
    assert found == [], f"利用者 outside the coordinator's screens (use お食事を受け取る方 or ご本人): {found}"


def test_coordinator_screens_say_riyousha():
    found = _offending(lambda entry, text: "お食事を受け取る方" in text and _only_on_coordinator_side(entry))
    assert found == [], f"coordinator-only strings call the diner 利用者: {found}"


def test_buttons_read_as_japanese():
    found = _offending(lambda entry, text: text.strip() in RETIRED_LABELS)
    assert found == [], f"button labels: {RETIRED_LABELS}: {found}"


def test_san_has_no_space_before_it():
    assert _offending(lambda entry, text: bool(_SPACE_BEFORE_SAN.search(text))) == []


def test_no_honorific_straight_after_a_placeholder():
    """A name comes into a message already addressed (casserole.names: `addressed()`, the `honorific`
    and `formally` filters, Diner.addressed), so the catalogue never adds さん or 様 after one: it
    would double the honorific of a name that has one, or give one to a phrase (ほかのコーディネーター)."""
    found = _offending(lambda entry, text: bool(_HONORIFIC_AFTER_PLACEHOLDER.search(text)))
    assert found == [], f"address the name where it is passed, not in the catalogue: {found}"


def test_brackets_are_full_width():
    found = _offending(lambda entry, text: bool(re.search(r"[()]", _visible(text))))
    assert found == [], f"use （） in Japanese text: {found}"


def test_no_uk_phone_number_in_japanese():
    assert _offending(lambda entry, text: bool(_UK_PHONE.search(text))) == []


def test_phone_examples_are_japanese_numbers():
    examples = [entry for entry in ENTRIES if "03-1234-5678" in entry.msgid or "020 7946" in entry.msgid]
    assert examples, "the phone examples were not found"
    for entry in examples:
        for text in _texts(entry):
            assert "03-1234-5678" in text or "090-1234-5678" in text, (entry.msgid, text)


def test_no_space_between_a_number_and_its_unit():
    assert _offending(lambda entry, text: bool(_NUMBER_SPACE_UNIT.search(text))) == []


def test_dates_and_times_are_written_the_japanese_way():
    found = _offending(lambda entry, text: bool(_DATE_WITH_SPACES.search(text) or _TWELVE_HOUR.search(text)))
    assert found == [], f"write 2026年11月27日 and 午後2時30分: {found}"


def test_the_brand_is_written_in_katakana():
    """キャセロール, or Casserole（キャセロール） where a page first names it for a reader who knows the logo."""
    found = _offending(lambda entry, text: bool(re.search(r"Casserole(?!（キャセロール）)", text)))
    assert found == [], found


def test_the_home_page_names_the_brand_in_both_scripts():
    home = [entry for entry in ENTRIES if any(path == "templates/pages/home.html" for path, _ in entry.occurrences)]
    assert any("Casserole（キャセロール）" in text for entry in home for text in _texts(entry))


def _long_sentences(text):
    return [s for s in re.split(r"(?<=[。？！])", _visible(text)) if len(s.strip()) > SENTENCE_LIMIT]


def test_sentences_are_short():
    found = _offending(lambda entry, text: entry.msgid not in LONG_SENTENCE_ALLOWED and bool(_long_sentences(text)))
    assert found == [], f"split sentences over {SENTENCE_LIMIT} characters at 。: {found}"


def test_the_long_sentence_allow_list_is_still_needed():
    texts = {entry.msgid: _texts(entry) for entry in ENTRIES}
    for msgid in LONG_SENTENCE_ALLOWED:
        assert any(_long_sentences(text) for text in texts.get(msgid, [])), msgid


def test_there_are_lessons():
    assert len(LESSONS) >= 16


def _cook_text_problems(text):
    """What breaks the glossary in Japanese that cooks read (lessons and quiz questions)."""
    problems = [term for term in RETIRED if term in text]
    problems += ["利用者"] if "利用者" in text else []
    problems += ["space before さん"] if _SPACE_BEFORE_SAN.search(text) else []
    problems += ["Casserole"] if re.search(r"Casserole(?!（キャセロール）)", text) else []
    problems += ["UK phone"] if _UK_PHONE.search(text) else []
    return problems


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_lessons_keep_the_glossary(lesson):
    """The lessons are read by cooks: the diner is お食事を受け取る方 there."""
    assert _cook_text_problems(lesson.read_text(encoding="utf-8")) == []


def test_there_are_question_banks():
    assert len(QUESTION_BANKS) >= 2


@pytest.mark.parametrize("bank", QUESTION_BANKS, ids=lambda path: path.parent.name)
def test_quiz_questions_keep_the_glossary(bank):
    """The quiz is read by cooks too: each question's Japanese text, options and explanation keep the
    lessons' words."""
    questions = yaml.safe_load(bank.read_text(encoding="utf-8"))["questions"]
    found = {}
    for question in questions:
        japanese = question["ja"]
        for text in (japanese["text"], *japanese["options"], japanese["explanation"]):
            if problems := _cook_text_problems(text):
                found.setdefault(question["key"], []).extend(problems)
    assert found == {}
