from functools import cache

from django.conf import settings
from django.utils.translation import gettext as _

from jamsos.accounts.selectors import area_code_of, has_perm, menu_for, role_of
from jamsos.core.numbers import grouped
from jamsos.regions.catalog import upper_regions
from jamsos.regions.selectors import deployment_area, kabupaten_code_of
from jamsos.santunan import permissions as santunan_permissions
from jamsos.santunan.selectors import has_santunan

#: The santunan page every administrator keeps in the menu: where a regency without a scheme
#: adds its first version.
SANTUNAN_RULES = "santunan:rules"
DTSEN = "santunan:dtsen"


def menu_of(user, santunan) -> list:
    """The user's menu (``accounts.selectors.menu_for``) without the santunan pages when the
    user's regency has no death-grant scheme (``santunan()`` false, issue 16): those pages
    answer 404 to them; and without DTSEN for a regency's user in a province (the province
    uploads the extract every regency reads)."""
    items = [i for i in menu_for(user)
             if i.url_name != DTSEN or santunan_permissions.can_import_dtsen(user)]
    if not any(i.url_name.startswith("santunan:") for i in items) or santunan():
        return items
    return [i for i in items
            if not i.url_name.startswith("santunan:") or i.url_name == SANTUNAN_RULES]


def deployment(request):
    # The shipped region list, loaded once per process: no query on every page. A user of one
    # kabupaten/kota in a province deployment sees their own regency's name.
    area = (area_code_of(request.user) if hasattr(request, "user") else None) or ""
    code = kabupaten_code_of(area) if "." in area else deployment_area()
    kab = upper_regions().get(code)
    user = getattr(request, "user", None)
    santunan = cache(lambda: user is not None and has_santunan(user))
    return {
        "kabupaten_name": kab.name if kab else code,
        "kabupaten_code": code,
        "user_role": role_of(request.user) if hasattr(request, "user") else None,
        "user_area": area_code_of(request.user) if hasattr(request, "user") else None,
        "perms_audit": hasattr(request, "user") and has_perm(request.user, "view_audit"),
        "perms_people": hasattr(request, "user") and has_perm(request.user, "view_people"),
        "perms_users": hasattr(request, "user") and has_perm(request.user, "manage_users"),
        # A callable: evaluated (one query) only by the pages that ask.
        "has_santunan": santunan,
        "menu": menu_of(request.user, santunan) if hasattr(request, "user") else [],
        "demo_banner": demo_banner(),
    }


def demo_banner() -> str:
    """The banner of a demo database (``jamsos demo``): every figure is synthetic; a province
    demo names how the other kabupaten/kota were made. Empty outside a demo."""
    info = getattr(settings, "JAMSOS_DEMO", None) or {}
    if not info:
        return ""
    synthetic = info.get("synthetic") or []
    if not synthetic:
        return _("Demo: semua data di aplikasi ini sintetis (dibuat untuk peragaan), bukan data "
                 "warga sebenarnya.")
    return _("Demo provinsi: semua data sintetis. Ogan Komering Ilir mengikuti angka peluncuran; "
             "%(n)d kabupaten/kota lain memakai data sintetis berskala kecil (rata-rata "
             "%(size)s kepesertaan per kabupaten/kota), bukan angka sebenarnya.") % {
        "n": len(synthetic), "size": grouped(int(info.get("per_regency") or 0))}
