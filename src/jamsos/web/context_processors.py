from jamsos.accounts.selectors import area_code_of, has_perm, menu_for, role_of
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
    }
