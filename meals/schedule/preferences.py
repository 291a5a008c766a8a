"""How a diner likes their meals: days that suit and days that don't, the best time, portion size,
a chat or the door, and anything about the door. Stored with the diner (meals.diners.models.Diner),
shown to the cook on every meal, changed by the diner's side (a referrer whose access lets them
update the diner's details) or a coordinator, and every change is audited with its channel.
"""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit
from casserole.models import Channel
from meals.diners.models import BestTime, Diner, Portion, ProxyAccess, VisitStyle, Weekday
from meals.schedule.services import MealError

FIELDS = ("days", "days_unsuitable", "best_time", "portion", "visit_style", "door_notes")


class PreferencesForm(forms.Form):
    days = forms.MultipleChoiceField(
        label=gettext_lazy("Days that suit"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days_unsuitable = forms.MultipleChoiceField(
        label=gettext_lazy("Days that don’t suit"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    best_time = forms.ChoiceField(
        label=gettext_lazy("Best time for a meal"), choices=BestTime.choices, widget=forms.RadioSelect
    )
    portion = forms.ChoiceField(label=gettext_lazy("Portion size"), choices=Portion.choices, widget=forms.RadioSelect)
    visit_style = forms.ChoiceField(
        label=gettext_lazy("When the cook brings the meal"), choices=VisitStyle.choices, widget=forms.RadioSelect
    )
    door_notes = forms.CharField(
        label=gettext_lazy("Anything about the door"),
        help_text=gettext_lazy("For example: ring twice, use the side gate, knock loudly."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        both = set(data.get("days") or []) & set(data.get("days_unsuitable") or [])
        if both:
            self.add_error("days_unsuitable", _("A day can’t both suit and not suit: untick it in one of the lists."))
        return data


def initial(diner: Diner) -> dict:
    return {name: getattr(diner, name) for name in FIELDS}


def can_change(user: User, diner: Diner) -> bool:
    """A coordinator of the diner's area, or a referrer whose live access lets them update details."""
    if diner.area is not None and can_manage_area(user, diner.area):
        return True
    return ProxyAccess.objects.filter(
        diner=diner, referrer=user, revoked_at__isnull=True, can_edit_details=True
    ).exists()


@transaction.atomic
def set_meal_preferences(*, by: User, diner: Diner, values: dict, channel: str = Channel.WEB, request=None) -> Diner:
    """Save how the diner likes their meals; the audit entry names the fields changed and the channel
    (a coordinator on the phone with the diner records "phone")."""
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=diner.pk)
    if not can_change(by, diner):
        raise MealError(_("You can’t change how this person likes their meals."))
    changed = [name for name in FIELDS if name in values and values[name] != getattr(diner, name)]
    for name in changed:
        setattr(diner, name, values[name])
    if changed:
        diner.save(update_fields=[*changed, "updated_at"])
        audit.record(
            action=audit.Action.MEAL_PREFERENCES_CHANGED,
            actor=by,
            obj=diner,
            area=diner.area,
            request=request,
            channel=channel,
            detail={"fields": changed},
        )
    return diner


def summary(diner: Diner) -> list[dict]:
    """The preferences as the cook's meal page, the schedule and the card show them: label and text,
    only the ones that say something."""
    days = dict(Weekday.choices)
    rows = []
    if diner.days:
        rows.append(
            {
                "key": "days",
                "label": _("Days that suit"),
                "value": ", ".join(str(days[d]) for d in diner.days if d in days),
            }
        )
    if diner.days_unsuitable:
        rows.append(
            {
                "key": "days_unsuitable",
                "label": _("Days that don’t suit"),
                "value": ", ".join(str(days[d]) for d in diner.days_unsuitable if d in days),
            }
        )
    rows.append({"key": "best_time", "label": _("Best time"), "value": diner.get_best_time_display()})
    rows.append({"key": "portion", "label": _("Portion size"), "value": diner.get_portion_display()})
    rows.append({"key": "visit_style", "label": _("Chat or door"), "value": diner.get_visit_style_display()})
    if diner.door_notes:
        rows.append({"key": "door_notes", "label": _("At the door"), "value": diner.door_notes})
    return rows
