"""Template filters of the relationship log for other capabilities' pages (the cook's meal pages). Django finds
tag libraries only in an installed app's templatetags package, so this lives here and holds no rule of its own."""

from django import template

from meals.relationships import visits

register = template.Library()


@register.filter
def visit_state(meal, user) -> str:
    """For the cook's meal pages: "recorded" when the meal's visit is recorded, "record" when `user` may
    record it now (meals.relationships.visits.can_record), "" otherwise. Load the meal with
    select_related("visit") on list pages, or this runs a query per meal."""
    if visits.visit_of(meal) is not None:
        return "recorded"
    return "record" if not visits.refusal(user, meal) else ""
