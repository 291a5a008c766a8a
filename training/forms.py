import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _


class QuizForm(forms.Form):
    """One radio group per drawn question. Field names carry the AttemptQuestion id; the service
    scores only the attempt's own items, so extra or renamed fields cannot change the score."""

    def __init__(self, *args, items, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            question = item.question
            self.fields[f"q{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.position}. {question.text(language)}",
                choices=[(str(i), option) for i, option in enumerate(question.options(language))],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to question %(number)s") % {"number": item.position}},
            )
            # Questions are the page's main content: a larger legend (see templates/forms/radios.html).
            self.fields[f"q{item.pk}"].legend_size = "m"
            if question.compulsory:
                self.fields[f"q{item.pk}"].help_text = _("Must be right: you need this answer right to pass.")

    def answers(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"q{item.pk}"] for item in self.items}


class VerifyCertificateForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        help_text=_("12 letters and numbers, for example ABCD-EFGH-JKLM"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"spellcheck": "false", "autocapitalize": "characters", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": _("Enter the certificate code")},
    )

    def clean_code(self):
        # Accept lower case, spaces, full-width characters and missing or different dashes.
        raw = unicodedata.normalize("NFKC", self.cleaned_data["code"]).upper()
        letters = re.sub(r"[^A-Z0-9]", "", raw)
        if len(letters) != 12:
            raise forms.ValidationError(
                _("Enter the 12-character code printed on the certificate, like ABCD-EFGH-JKLM")
            )
        return f"{letters[:4]}-{letters[4:8]}-{letters[8:]}"
