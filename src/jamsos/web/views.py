from django.shortcuts import redirect, render


def home(request):
    """The signed-in user's own start page; visitors get the public coverage page."""
    if not request.user.is_authenticated:
        return redirect("coverage:public")
    return render(request, "web/home.html", {})
