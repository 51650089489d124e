"""The project's URLs and one view that fails, for the test of the 500 page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


@login_not_required
def fail(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [
    path("fail/", fail, name="fail"),
    path("", include("kmtracker.urls")),
]
