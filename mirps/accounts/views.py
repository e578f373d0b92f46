from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mirps.accounts import services
from mirps.accounts.forms import TokenForm
from mirps.accounts.models import ApiToken
from mirps.audit.context import client_address
from mirps.audit.models import AuditEvent
from mirps.audit.services import audit_record


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    throttled = False
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        address = client_address(request)
        if services.login_is_throttled(username=username, address=address):
            throttled = True
            form = AuthenticationForm(request)
        elif form.is_valid():
            user = form.get_user()
            login(request, user)
            services.login_success_record(user=user)
            return redirect(request.GET.get("next") if _safe_next(request) else "home")
        else:
            services.login_failure_record(username=username, address=address)
    return render(
        request, "accounts/login.html", {"form": form, "throttled": throttled}, status=429 if throttled else 200
    )


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.GET.get("next")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditEvent.Action.LOGOUT, obj=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": ApiToken.objects.filter(user=request.user), "new_secret": new_secret},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
