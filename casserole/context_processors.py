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
    phone, hours = help_line(area, lang)
    _show_local_time(area, lang)
    return {
        "help_phone": phone,
        "help_hours": hours,
        "html_lang": "ja" if lang == "ja" else "en-GB",
        "language_links": _language_links(request, lang),
    }


def help_line(area, lang: str) -> tuple[str, str]:
    """The phone number and hours to call: the person's own area's line when they have one, else the
    service's. Pages and emails (accounts.people.adapter) both take it from here."""
    if area is not None:
        return area.help_phone, (area.help_hours_ja if lang == "ja" and area.help_hours_ja else area.help_hours)
    return settings.HELP_PHONE, (settings.HELP_HOURS_JA if lang == "ja" else settings.HELP_HOURS)


def local_time_zone(area, lang: str) -> str:
    """The name of the time zone a person reads times in: their area's, or Tokyo's for someone without
    an area reading Japanese, or the service's."""
    return area.time_zone if area is not None else ("Asia/Tokyo" if lang == "ja" else settings.TIME_ZONE)


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
    name = local_time_zone(area, lang)
    try:
        timezone.activate(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
