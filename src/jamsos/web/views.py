from django.shortcuts import redirect, render

from jamsos.accounts.selectors import role_of
from jamsos.web.homes import home_for


def home(request):
    """The signed-in user's own start page; visitors get the public coverage page."""
    if not request.user.is_authenticated:
        return redirect("coverage:public")
    if role_of(request.user) is None:  # signed in without a role: nothing to show
        return render(request, "web/home.html", {})
    template, context = home_for(request)
    return render(request, template, context)
