from django.conf import settings

from jamsos.accounts.selectors import area_code_of, has_perm, menu_for, role_of
from jamsos.regions.catalog import upper_regions


def deployment(request):
    # The shipped region list, loaded once per process: no query on every page.
    kab = upper_regions().get(settings.JAMSOS_KABUPATEN)
    return {
        "kabupaten_name": kab.name if kab else settings.JAMSOS_KABUPATEN,
        "kabupaten_code": settings.JAMSOS_KABUPATEN,
        "user_role": role_of(request.user) if hasattr(request, "user") else None,
        "user_area": area_code_of(request.user) if hasattr(request, "user") else None,
        "perms_audit": hasattr(request, "user") and has_perm(request.user, "view_audit"),
        "perms_people": hasattr(request, "user") and has_perm(request.user, "view_people"),
        "perms_users": hasattr(request, "user") and has_perm(request.user, "manage_users"),
        "menu": menu_for(request.user) if hasattr(request, "user") else [],
    }
