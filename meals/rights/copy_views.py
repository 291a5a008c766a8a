"""A copy of what we hold, as a printable page and as a JSON file of the same: a person's own, from their
account; a diner's, made by a coordinator of their area (asked by phone) or by a referrer allowed to see
and change their details; a cook's, made by a coordinator of the cook's area.

People come through the access helpers, so another area's diner or cook is the same 404 as an id that does
not exist. Every copy made is audited before it is collected, so it is the last line of its own "who
looked" section. The copy is written in the page's language (the URL's): the links here go to the
person's own language, and the page links to the other one.
"""

import json
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.review.access import get_cook_for_coordinator
from casserole import names
from casserole.access import coordinator_required
from casserole.templatetags.casserole_tags import day, when
from meals.diners.access import get_diner_for_coordinator, get_proxy_for_referrer
from meals.rights import copy as collector

# The referrer's scope that lets them see the diner's full record (address, health and allergy data):
# the same one that shows it on their diner page, so a copy shows them nothing they could not see there.
PROXY_SCOPE = "can_edit_details"
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
HTML_LANGS = {"en": "en-GB", "ja": "ja"}


# The person's own --------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def my_copy(request):
    user = request.user
    collector.record_copy_made(by=user, subject=user, file_format="html", request=request)
    return _page(
        request,
        collector.own_copy(user),
        heading=_("A copy of your information"),
        download_url=reverse("meals:my_data_download"),
        back_url=reverse("accounts:dashboard"),
        back_label=_("Your account"),
        own_language=user.preferred_language,
    )


@login_required
@never_cache
@require_GET
def my_copy_download(request):
    user = request.user
    collector.record_copy_made(by=user, subject=user, file_format="json", request=request)
    return _download(collector.own_copy(user), "casserole-my-information")


# A diner's, made by their coordinator or a referrer acting for them -------------------------------------------


@coordinator_required
@never_cache
@require_GET
def coordinator_diner_copy(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    back_url = reverse("meals:coordinator_diner", args=[diner.pk])
    return _diner_page(
        request, diner, download=reverse("meals:coordinator_diner_copy_download", args=[pk]), back=back_url
    )


@coordinator_required
@never_cache
@require_GET
def coordinator_diner_copy_download(request, pk: int):
    return _diner_download(request, get_diner_for_coordinator(request.user, pk))


@login_required
@never_cache
@require_GET
def proxy_diner_copy(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk, PROXY_SCOPE)
    download = reverse("meals:proxy_diner_copy_download", args=[pk])
    back = reverse("meals:proxy_diner", args=[pk])
    return _diner_page(request, access.diner, download=download, back=back, access=access)


@login_required
@never_cache
@require_GET
def proxy_diner_copy_download(request, pk: int):
    return _diner_download(request, get_proxy_for_referrer(request.user, pk, PROXY_SCOPE).diner)


def _diner_page(request, diner, *, download: str, back: str, access=None):
    collector.record_copy_made(by=request.user, subject=diner, file_format="html", request=request)
    with timezone.override(_zone(diner.area)):
        copy = collector.diner_copy(diner)
        return _page(
            request,
            copy,
            heading=_("A copy of the information we hold about %(name)s") % {"name": diner.addressed},
            download_url=download,
            back_url=back,
            back_label=_("Back to %(name)s’s page") % {"name": diner.addressed},
            own_language=diner.preferred_language,
            name=str(diner.addressed),
            access=access,
            diner=diner,
        )


def _diner_download(request, diner):
    collector.record_copy_made(by=request.user, subject=diner, file_format="json", request=request)
    with timezone.override(_zone(diner.area)):
        return _download(collector.diner_copy(diner), f"casserole-diner-{diner.pk}")


# A cook's, made by their coordinator --------------------------------------------------------------------------


@coordinator_required
@never_cache
@require_GET
def coordinator_cook_copy(request, pk: int):
    cook = get_cook_for_coordinator(request.user, pk)
    collector.record_copy_made(by=request.user, subject=cook, file_format="html", request=request)
    name = names.addressed(cook.full_name)
    with timezone.override(_zone(cook.home_area)):
        return _page(
            request,
            collector.cook_copy(cook),
            heading=_("A copy of the information we hold about %(name)s") % {"name": name},
            download_url=reverse("meals:coordinator_cook_copy_download", args=[cook.pk]),
            back_url=reverse("coordinator:cook_detail", args=[cook.pk]),
            back_label=_("Back to %(name)s’s page") % {"name": name},
            own_language=cook.preferred_language,
            name=name,
        )


@coordinator_required
@never_cache
@require_GET
def coordinator_cook_copy_download(request, pk: int):
    cook = get_cook_for_coordinator(request.user, pk)
    collector.record_copy_made(by=request.user, subject=cook, file_format="json", request=request)
    with timezone.override(_zone(cook.home_area)):
        return _download(collector.cook_copy(cook), f"casserole-cook-{cook.pk}")


# Showing and sending a copy -----------------------------------------------------------------------------------


def _zone(area) -> str:
    """Times in a copy are in the person's area's time zone (the service's for someone with no area)."""
    return area.time_zone if area is not None else settings.TIME_ZONE


def _download(copy: dict, stem: str) -> HttpResponse:
    """The copy as a JSON file (UTF-8, readable: indented, Japanese as it is written)."""
    body = json.dumps(copy, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate().isoformat()}.json"'
    return response


def _page(request, copy: dict, *, heading, download_url, back_url, back_label, own_language, name="", **extra):
    language = get_language() or "en"
    other = "ja" if language == "en" else "en"
    context = {
        "heading": heading,
        "made_at": datetime.fromisoformat(copy["made_at"]),
        "sections": [_shown(section) for section in copy["sections"]],
        "download_url": download_url,
        "back_url": back_url,
        "back_label": back_label,
        "other_language": {
            "url": translate_url(request.get_full_path(), other),
            "name": LANGUAGE_NAMES[other],
            "html_lang": HTML_LANGS[other],
        },
        # Made for someone whose own language is the other one: say so at the top.
        "in_their_language": own_language == other,
        "name": name,
        **extra,
    }
    return render(request, "meals/rights/copy.html", context)


def _shown(section: dict) -> dict:
    """A section as the page shows it: each record's filled-in fields as (label, text or lines)."""
    records = []
    for record in section["records"]:
        rows = []
        for field in section["fields"]:
            value = record.get(field["key"])
            if value is None or value == "" or value == []:
                continue
            if field["type"] == collector.LIST:
                rows.append({"label": field["label"], "lines": [str(item) for item in value]})
            else:
                rows.append({"label": field["label"], "text": _text(value, field["type"])})
        records.append(rows)
    return {"key": section["key"], "heading": section["heading"], "note": section["note"], "records": records}


def _text(value, kind: str) -> str:
    if kind == collector.DATETIME:
        return when(datetime.fromisoformat(value))
    if kind == collector.DATE:
        return day(date.fromisoformat(value))
    if kind == collector.BOOL:
        return _("Yes") if value else _("No")
    return str(value)
