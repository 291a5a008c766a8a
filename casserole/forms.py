"""GOV.UK Design System markup for every Django form, our own and allauth's, via the form renderer."""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "tel": "govuk-input",
    "date": "govuk-input",
    "datetime": "govuk-input",
    "time": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovUKBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _CLASSES.get(self.widget_type, "")
        if css:
            classes = [css, attrs.get("class", ""), widget.attrs.get("class", "")]
            if self.errors and css in _ERROR_CLASSES:
                classes.append(_ERROR_CLASSES[css])
            attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def first_input_id(self) -> str:
        """The id an error-summary link should point at (the first option of a radio/checkbox group)."""
        if self.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovUKBoundField
