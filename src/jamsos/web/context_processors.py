from django.conf import settings
from django.utils.translation import gettext as _

from jamsos.accounts.selectors import area_code_of, has_perm, menu_for, role_of
from jamsos.core.numbers import grouped
from jamsos.regions.catalog import upper_regions
from jamsos.regions.selectors import deployment_area, kabupaten_code_of


def deployment(request):
    # The shipped region list, loaded once per process: no query on every page. A user of one
    # kabupaten/kota in a province deployment sees their own regency's name.
    area = (area_code_of(request.user) if hasattr(request, "user") else None) or ""
    code = kabupaten_code_of(area) if "." in area else deployment_area()
    kab = upper_regions().get(code)
    return {
        "kabupaten_name": kab.name if kab else code,
        "kabupaten_code": code,
        "user_role": role_of(request.user) if hasattr(request, "user") else None,
        "user_area": area_code_of(request.user) if hasattr(request, "user") else None,
        "perms_audit": hasattr(request, "user") and has_perm(request.user, "view_audit"),
        "perms_people": hasattr(request, "user") and has_perm(request.user, "view_people"),
        "perms_users": hasattr(request, "user") and has_perm(request.user, "manage_users"),
        "menu": menu_for(request.user) if hasattr(request, "user") else [],
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
