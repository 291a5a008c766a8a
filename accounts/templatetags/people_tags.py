from django import template

from accounts.people.selectors import must_pass_second_factor

register = template.Library()


@register.filter
def owes_second_factor(user) -> bool:
    """`{% if user|owes_second_factor %}`: the person still has to enter a sign-in code (or set up
    two-factor sign-in) before any page of theirs opens."""
    return must_pass_second_factor(user)
