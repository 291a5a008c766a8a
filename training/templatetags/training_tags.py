"""Course text in the page's language. Templates cannot call a method with an argument, so these
filters do it: `{{ course|title_in:LANGUAGE_CODE }}`, `{{ item|right_text:LANGUAGE_CODE }}`.
Each takes the language code and falls back to English where the Japanese text is missing."""

from django import template

register = template.Library()


@register.filter
def title_in(obj, language: str) -> str:
    """A course's or lesson's title."""
    return obj.title(language) if obj is not None else ""


@register.filter
def summary_in(lesson, language: str) -> str:
    return lesson.summary(language)


@register.filter
def area_name(area, language: str) -> str:
    """An area's name, in Japanese where it has one."""
    if area is None:
        return ""
    return area.name_ja if language == "ja" and area.name_ja else area.name


def _option(item, index, language: str) -> str:
    options = item.question.options(language)
    if index is None or not 0 <= index < len(options):
        return ""
    return options[index]


@register.filter
def question_text(item, language: str) -> str:
    """The question of an AttemptQuestion."""
    return item.question.text(language)


@register.filter
def option_text(item, language: str) -> str:
    """The option the cook chose for an AttemptQuestion."""
    return _option(item, item.chosen, language)


@register.filter
def right_text(item, language: str) -> str:
    """The right option for an AttemptQuestion."""
    return _option(item, item.question.answer, language)


@register.filter
def explanation_text(item, language: str) -> str:
    return item.question.explanation(language)
