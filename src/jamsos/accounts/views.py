from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.accounts import resets
from jamsos.accounts.forms import ResetPasswordForm, UserCreateForm
from jamsos.accounts.models import Profile, Role
from jamsos.accounts.selectors import area_code_of, in_area, require
from jamsos.accounts.services import change_access, create_user, new_user_errors, set_active
from jamsos.audit.middleware import client_ip
from jamsos.regions.models import Region
from jamsos.regions.selectors import subtree_q


def _users_in_area(request):
    return (Profile.objects.select_related("user", "area")
            .filter(subtree_q(area_code_of(request.user), "area__code")).order_by("user__username"))


@login_required
@require("manage_users")
@require_http_methods(["GET", "POST"])
def users(request):
    """Users of the area and a new one: every field at fault is reported at once (the form's
    own checks and the service's, :func:`new_user_errors`), the input kept."""
    form = UserCreateForm(request.POST or None, roles=Role.choices)
    if request.method == "POST":
        form.is_valid()
        data = {name: form.cleaned_data.get(name, request.POST.get(name, ""))
                for name in ("username", "role", "area", "password", "email")}
        errors = new_user_errors(username=(data["username"] or "").strip(),
                                 role=data["role"] or "", area_code=(data["area"] or "").strip(),
                                 password=data["password"] or None, actor=request.user)
        for field, problems in errors.items():
            if field not in form.errors:
                form.add_error(field, problems)
        if not form.errors:
            try:
                create_user(username=data["username"].strip(), role=data["role"],
                            area_code=data["area"].strip(), password=data["password"],
                            email=data["email"], actor=request.user)
            except ValidationError as exc:  # e.g. the name taken meanwhile
                form.add_error(None, exc)
            except IntegrityError:
                form.add_error("username", _("Nama pengguna sudah dipakai."))
            else:
                messages.success(request, _("Pengguna dibuat."))
                return redirect("accounts:users")
    return render(request, "accounts/users.html",
                  {"profiles": _users_in_area(request), "roles": Role.choices, "form": form})


@login_required
@require("manage_users")
@require_http_methods(["POST"])
def user_reset_link(request, pk: int):
    """Issue a one-time reset link for a user and show it to the administrator to pass on."""
    get_object_or_404(_users_in_area(request), user_id=pk)
    target = get_object_or_404(get_user_model(), pk=pk)
    url, link = resets.issue(target, actor=request.user,
                             base_url=request.build_absolute_uri("/").rstrip("/"))
    return render(request, "accounts/reset_issued.html",
                  {"target": target, "url": url, "link": link})


@require_http_methods(["GET", "POST"])
def reset(request, secret: str):
    """The page a reset link opens: a new password (no sign-in needed, the link is the key)."""
    link = resets.find(secret)
    if link is None:
        return render(request, "accounts/reset.html", {"invalid": True}, status=404)
    form = ResetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resets.use(secret, form.cleaned_data["new_password1"], ip=client_ip(request))
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        except LookupError:
            return render(request, "accounts/reset.html", {"invalid": True}, status=404)
        else:
            messages.success(request, _("Kata sandi baru disimpan. Silakan masuk."))
            return redirect("accounts:login")
    return render(request, "accounts/reset.html", {"form": form, "target": link.user,
                                                   "link": link})


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
        role = request.POST.get("role", profile.role)
        area = request.POST.get("area", profile.area_id).strip()
        errors = []
        if role not in Role.values:
            errors.append((f"role-{pk}", _("Pilih peran dari daftar.")))
        if not in_area(request.user, area) or not Region.objects.filter(code=area).exists():
            errors.append((f"area-{pk}", _("Kode wilayah harus di dalam wilayah kerja Anda.")))
        if not errors:
            try:
                change_access(target, role=role, area_code=area, actor=request.user)
            except ValidationError as exc:
                for error in exc.error_list:
                    anchor = "role" if error.code == "role" else "area"
                    errors.append((f"{anchor}-{pk}", " ".join(error.messages)))
        if errors:
            return render(request, "accounts/users.html", {
                "profiles": _users_in_area(request), "roles": Role.choices,
                "form": UserCreateForm(roles=Role.choices), "row_errors": errors,
                "row_pk": pk, "row_values": {"role": role, "area": area}})
    messages.success(request, _("Hak akses diperbarui."))
    return redirect("accounts:users")
