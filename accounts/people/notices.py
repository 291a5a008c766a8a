"""Telling the coordinators of an area that something needs them: the one place that decides who they
are and that each is written to in their own language."""

from collections.abc import Callable, Iterable
from typing import Any

from accounts.people.models import User
from accounts.people.selectors import coordinators_of
from casserole.mail import absolute_url, queue_templated_email


def notify_coordinators(
    *,
    area_ids: Iterable[int | None],
    template: str,
    url_name: str,
    url_kwargs: dict[str, Any] | None = None,
    context: dict[str, Any] | Callable[[User], dict[str, Any]] | None = None,
) -> list[User]:
    """Queue `template` to every active coordinator of these areas, rendered in their language, with
    `url` (the page `url_name` under that language) added to `context`. Pass a callable as `context`
    when what a coordinator is told depends on who they are (their language, their areas)."""
    coordinators = coordinators_of(area_ids)
    for coordinator in coordinators:
        language = coordinator.preferred_language
        extra = context(coordinator) if callable(context) else (context or {})
        queue_templated_email(
            to=coordinator.email,
            template=template,
            context={**extra, "url": absolute_url(url_name, language, **(url_kwargs or {}))},
            language=language,
        )
    return coordinators
