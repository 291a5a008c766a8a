"""The workspace's one form: the search across the coordinator's areas' cooks and diners. It checks the
shape of what was typed; meals.workspace.selectors.search_people reads it as a name or a phone number."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.text import TextField

SEARCH_MAX_LENGTH = 100


class SearchForm(forms.Form):
    q = TextField(
        label=_("Name or phone number"),
        help_text=_("Part of a cook’s or diner’s name, or their whole phone number written any way"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter a name or a phone number"),
            "max_length": _("Enter %(limit_value)d characters or fewer"),
        },
    )
