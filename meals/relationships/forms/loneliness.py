"""Forms for the loneliness measure: the diner's agreement to be asked, and their answers to their
language's scale, as the coordinator heard them (on the phone by default). They check the shape of the
input; meals.relationships.loneliness checks the rules and its refusals come back as form errors.

Each question and option is shown in the scale's own words and language (a lang attribute says which),
with a gloss in the page's language when that is another: a survey's wording is never translated."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.models import Channel
from meals.referrals.forms.base import RadiosWithHints
from meals.relationships.loneliness import Scale

# The value of an HTML lang attribute for each scale's language (the pages' own: templates/base.html).
HTML_LANG = {"en": "en-GB", "ja": "ja"}
YES, NO = "yes", "no"


class MeasureConsentForm(forms.Form):
    given = forms.ChoiceField(
        label=_("Have they agreed to answer these questions every three months?"),
        choices=[(YES, _("Yes, they agreed")), (NO, _("No, or they want to stop"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether they agreed"),
            "invalid_choice": _("Select whether they agreed"),
        },
    )
    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)
        self.fields["given"].legend_size = "m"

    @property
    def agreed(self) -> bool:
        return self.cleaned_data["given"] == YES


class LonelinessForm(forms.Form):
    """One radio group per question of the diner's scale (field name: the question's key)."""

    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, scale: Scale, **kwargs):
        kwargs.setdefault("prefix", "answers")
        super().__init__(*args, **kwargs)
        self.scale = scale
        glossed = (get_language() or "en")[:2] != scale.language
        channel = self.fields.pop("channel")
        for number, question in enumerate(scale.questions, start=1):
            missing = _("Select their answer to question %(number)s") % {"number": number}
            field = forms.ChoiceField(
                label=f"{number}. {question.text}",
                help_text=_("Meaning: %(gloss)s") % {"gloss": question.gloss} if glossed else "",
                choices=[(option.key, option.text) for option in question.options],
                widget=RadiosWithHints(
                    hints={option.key: option.gloss for option in question.options} if glossed else {}
                ),
                template_name="meals/relationships/loneliness/_question.html",
                error_messages={"required": missing, "invalid_choice": missing},
            )
            field.lang = HTML_LANG[scale.language]
            self.fields[question.key] = field
        self.fields["channel"] = channel  # asked last, after the questions

    def answers(self) -> dict[str, str]:
        return {question.key: self.cleaned_data[question.key] for question in self.scale.questions}
