from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.accounts.models import Profile, Role
from jamsos.accounts.selectors import area_code_of, in_area, require
from jamsos.accounts.services import change_access, create_user, set_active
from jamsos.regions.models import Region
from jamsos.regions.selectors import subtree_q


def _users_in_area(request):
    return (Profile.objects.select_related("user", "area")
            .filter(subtree_q(area_code_of(request.user), "area__code")).order_by("user__username"))


@login_required
@require("manage_users")
@require_http_methods(["GET", "POST"])
def users(request):
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        role, area = request.POST.get("role", ""), request.POST.get("area", "").strip()
        if not (username and role in Role.values and in_area(request.user, area)
                and Region.objects.filter(code=area).exists()):
            messages.error(request, _("Isi nama pengguna, peran dan kode wilayah di dalam "
                                      "wilayah kerja Anda."))
        else:
            try:
                create_user(username=username, role=role, area_code=area,
                            password=request.POST.get("password", ""), actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except IntegrityError:
                messages.error(request, _("Nama pengguna sudah dipakai."))
            else:
                messages.success(request, _("Pengguna dibuat."))
                return redirect("accounts:users")
    return render(request, "accounts/users.html",
                  {"profiles": _users_in_area(request), "roles": Role.choices})


@login_required
@require("manage_users")
@require_http_methods(["POST"])
def user_change(request, pk: int):
    profile = get_object_or_404(_users_in_area(request), user_id=pk)
    target = get_object_or_404(get_user_model(), pk=pk)
    if target == request.user:
        raise Http404
    action = request.POST.get("action")
    if action in ("deactivate", "activate"):
        set_active(target, active=action == "activate", actor=request.user)
    else:
        role, area = request.POST.get("role", profile.role), request.POST.get("area",
                                                                               profile.area_id)
        if role not in Role.values or not in_area(request.user, area) or not (
                Region.objects.filter(code=area).exists()):
            messages.error(request, _("Peran atau wilayah tidak valid."))
            return redirect("accounts:users")
        try:
            change_access(target, role=role, area_code=area, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:users")
    messages.success(request, _("Hak akses diperbarui."))
    return redirect("accounts:users")
