import zoneinfo

from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language


def service(request):
    """The "Need help?" block: the visitor's own area's line when they have one, else the service's."""
    area = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        area = user.help_area
    lang = get_language() or "en"
    if area is not None:
        phone = area.help_phone
        hours = area.help_hours_ja if lang == "ja" and area.help_hours_ja else area.help_hours
    else:
        phone = settings.HELP_PHONE
        hours = settings.HELP_HOURS_JA if lang == "ja" else settings.HELP_HOURS
    _show_local_time(area, lang)
    return {
        "help_phone": phone,
        "help_hours": hours,
        "html_lang": "ja" if lang == "ja" else "en-GB",
        "language_links": _language_links(request, lang),
    }


def _language_links(request, current: str) -> list[dict]:
    path = request.get_full_path()
    return [
        {
            "code": "en",
            "name": "English",
            "html_lang": "en-GB",
            "current": current == "en",
            "url": translate_url(path, "en"),
        },
        {
            "code": "ja",
            "name": "日本語",
            "html_lang": "ja",
            "current": current == "ja",
            "url": translate_url(path, "ja"),
        },
    ]


def _show_local_time(area, lang: str) -> None:
    """Times on the page in the visitor's own area's time zone (a Setagaya coordinator reads Tokyo
    times), or Tokyo on a Japanese page for someone without an area. Done here, where the area is
    already read for the help block, so it costs no query; a context processor runs before the
    template renders. casserole.middleware.LocalTimeMiddleware puts the default back afterwards."""
    name = area.time_zone if area is not None else ("Asia/Tokyo" if lang == "ja" else settings.TIME_ZONE)
    try:
        timezone.activate(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
