"""The development outbox (DEBUG only, staff only) and the unsubscribe link of recurring mail."""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from mail.models import OutboxMessage
from mail.unsubscribe import has_opted_out, opt_out, read_token


def development_only(view):
    """404 unless DEBUG, whoever asks; then sign-in, and staff only (404 for others)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.DEBUG:
            raise Http404("The outbox exists in development only.")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("The outbox is for staff.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)


@development_only
@require_GET
def outbox(request):
    """The latest messages; `?message=<id>` opens one, its text with working links."""
    received = OutboxMessage.objects.all()[:100]
    selected = None
    if request.GET.get("message", "").isdigit():
        selected = get_object_or_404(OutboxMessage, pk=request.GET["message"])
    return render(request, "mail/pages/outbox.html", {"received": received, "selected": selected})


@development_only
@require_GET
@xframe_options_sameorigin
@csp_replace(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "frame-ancestors": ["'self'"],
    }
)
def outbox_html(request):
    """A message's HTML part, for the outbox page's sandboxed frame: e-mail styles are
    inline, which this response alone allows; the frame runs no script."""
    message = get_object_or_404(OutboxMessage, pk=request.GET.get("message", "0") or 0)
    return HttpResponse(message.html, content_type="text/html; charset=utf-8")


@login_not_required
@csrf_exempt  # RFC 8058: the mail client POSTs without our form; the signed token suffices
@require_http_methods(["GET", "POST"])
def unsubscribe(request):
    """GET: a page with a button (link checkers open links; that must unsubscribe no one).
    POST, from that button or from the mail client's one-click: the opt-out is recorded."""
    token = request.GET.get("token") or request.POST.get("token", "")
    parsed = read_token(token)
    if parsed is None:
        return render(request, "mail/pages/unsubscribe.html", {"invalid": True}, status=400)
    kind, user_id, address = parsed
    if request.method == "POST":
        opt_out(kind, user_id, address)
    done = request.method == "POST" or has_opted_out(kind, user_id, address)
    return render(
        request,
        "mail/pages/unsubscribe.html",
        {"token": token, "kind_label": kind.replace("_", " "), "done": done},
    )
