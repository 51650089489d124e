"""Accounts: a forgotten password reset by e-mail, a password changed by its owner, and
the owner's personal access tokens of the read API.

Django's auth views do the work (kmtracker/urls.py); this module decides how the
reset mail goes out. The request that asks for a reset only queues a job with the
address it was given, whatever that address is: the job finds the active users with
that address and sends each a link (mail/send.py). So the page, the work the request
does and the time it takes are the same for an address with an account and one
without, and nobody learns from them who has an account. An inactive user, a user
without a usable password and an unknown address get no mail.

Requests are limited per address and per client (RESET_LIMITS), in the cache: enough
for a person who asks again, too few to mail-bomb someone. Over the limit, the page
is the same and no mail is queued. A completed reset lifts the sign-in pause of that
username (django-axes), since its owner has just proved who they are.
"""

import hashlib
import logging

from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from jobs.declare import job
from kmtracker.security import client_ip
from mail.send import send_mail_to
from teams import submissions
from teams.tenancy import TeamAccess

logger = logging.getLogger(__name__)

# (what is counted, how many requests, in how many seconds).
RESET_LIMITS = (("address", 3, 60 * 60), ("client", 20, 60 * 60))


class PasswordResetRequestForm(PasswordResetForm):
    """The address of a forgotten password; saving it queues the job that mails the link."""

    def save(self, *, request, **kwargs):
        email = self.cleaned_data["email"]
        if within_reset_limits(request, email):
            send_password_reset.enqueue(email)


def within_reset_limits(request, email):
    """Count this request against each limit; False when one of them is used up."""
    keys = {
        "address": hashlib.sha256(email.casefold().encode()).hexdigest(),
        "client": client_ip(request) or "unknown",
    }
    within = True
    for counted, limit, seconds in RESET_LIMITS:
        key = f"password-reset:{counted}:{keys[counted]}"
        cache.add(key, 0, timeout=seconds)  # the window starts with its first request
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr
            count = 1
        if count > limit:
            logger.warning("Password reset requests over the limit per %s", counted)
            within = False
    return within


@job(queue_name="mail")
def send_password_reset(email):
    """Mail a reset link to each active user with address `email` (often none)."""
    for user in PasswordResetForm().get_users(email):
        send_mail_to(
            user,
            template="password_reset",
            context={
                "reset_url": settings.SITE_URL.rstrip("/") + reset_path(user),
                "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            },
        )


def reset_path(user):
    """The path of `user`'s one-time link, valid until they sign in or change their
    password, or PASSWORD_RESET_TIMEOUT has passed."""
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, valid_minutes=settings.PASSWORD_RESET_TIMEOUT // 60
        )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_failures(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """The signed-in user's own password; other sessions of theirs end, this one stays."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)


# Personal access tokens of the read API (api/models.py).


@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's tokens, and the form that makes one; a new token's secret is shown on
    the page that made it, once."""
    user = request.user
    form = submissions.add_token_field(ApiTokenForm(request.POST or None, user=user))
    secret = None
    if request.method == "POST" and form.is_valid():
        secret = _make_token(request, form)
        if secret is not None:
            form = submissions.add_token_field(ApiTokenForm(user=user))
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.of_user(user).select_related("team"),
        "schema_url": reverse("api:schema"),
        "docs_url": reverse("api:docs"),
    }
    return render(request, "registration/api_tokens.html", context)


def _make_token(request, form):
    """The new token's secret, or None when this form was sent already (twice is once)."""
    data = form.cleaned_data
    access = TeamAccess(data["team"], request.user, "")
    try:
        with transaction.atomic():
            submission = submissions.claim(data.get(submissions.FIELD), access)
            token, secret = ApiToken.issue(
                request.user, data["team"], data["name"], form.expires_at()
            )
            submissions.record(submission, url=reverse("api_tokens"), token=token.pk)
    except submissions.AlreadySubmitted:
        messages.info(request, "This form was already sent: its token is in the list below.")
        return None
    return secret


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.of_user(request.user), pk=pk)
    if token.revoke():
        messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    else:
        messages.info(request, f"Token “{token.name}” was already revoked.")
    return redirect("api_tokens")
