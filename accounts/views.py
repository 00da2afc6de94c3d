from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from accounts import services
from accounts.forms import (
    AccountForm,
    PasswordResetRequestForm,
    ReentryPasswordChangeForm,
    SettingsForm,
    SignInForm,
    SignUpForm,
)
from accounts.selectors import api_tokens_of
from bestqm.http.form_errors import add_service_errors
from bestqm.http.rate_limits import RateLimited, rate_limit_spend, rate_limited, too_many_requests
from bestqm.http.site_url import site_url
from privacy.audit.services import Actor

WELCOME = "Welcome to BestQM. Your account is private: no other member can see it."
DETAILS_SAVED = "Your private details were saved."
SETTINGS_SAVED = "Your settings were saved."
NOTHING_CHANGED = "Nothing changed."
PASSWORD_CHANGED = "Your password was changed."  # noqa: S105 - a message
TOKEN_REVOKED = "The API token was revoked; programs using it can no longer sign in."  # noqa: S105

SIGN_IN_BACKEND = "accounts.backends.LoginNameOrEmailBackend"


@method_decorator(never_cache, name="dispatch")
@method_decorator(rate_limited("signup", email_field="email"), name="post")
class SignUpView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_confirm"}
        try:
            services.user_create(
                actor=Actor.from_request(self.request), base_url=site_url(self.request), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        # The same answer whether the address was new or already had an account: the
        # page never says which (the owner of an existing one is told by e-mail).
        return redirect("accounts:signup_sent")


class SignUpSentView(TemplateView):
    template_name = "accounts/signup_sent.html"


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@method_decorator(never_cache, name="dispatch")
class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (a link must not sign anyone out); a GET shows the button."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "accounts/logout.html")


def _account_page(request, *, account_form=None, settings_form=None, status=200):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "account_form": account_form or AccountForm(instance=user),
            "settings_form": settings_form or SettingsForm(instance=user),
            "api_tokens": api_tokens_of(user),
        },
        status=status,
    )


@never_cache
@login_required
def account_view(request):
    """The member's private account: details and settings, visible to them alone."""
    if request.method != "POST":
        return _account_page(request)
    form = AccountForm(request.POST, instance=request.user)
    if form.is_valid():
        changes = form.changed_values()
        if "email" in changes:
            # A new address is sent a link: limited like every form that sends mail, per
            # account, per client address and per mailbox written to. Nothing is saved.
            try:
                rate_limit_spend("email_change", request, email=changes["email"])
            except RateLimited as exc:
                return too_many_requests(request, exc.retry_after)
        try:
            services.account_update(
                user=request.user,
                actor=Actor.from_request(request),
                data=changes,
                base_url=site_url(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if "email" in changes:
                messages.info(
                    request, services.EMAIL_CHANGE_SENT.format(email=form.cleaned_data["email"])
                )
            if set(changes) - {"email"} or not changes:
                messages.success(request, DETAILS_SAVED if changes else NOTHING_CHANGED)
            return redirect("accounts:account")
    return _account_page(request, account_form=form, status=400)


@never_cache
@login_required
@require_POST
def settings_view(request):
    form = SettingsForm(request.POST, instance=request.user)
    if form.is_valid():
        try:
            services.settings_update(
                user=request.user, actor=Actor.from_request(request), data=form.changed_values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, SETTINGS_SAVED if form.has_changed() else NOTHING_CHANGED)
            return redirect("accounts:account")
    return _account_page(request, settings_form=form, status=400)


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ReentryPasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        try:
            user = services.password_set(
                user=self.request.user,
                actor=Actor.from_request(self.request),
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc.message_dict.get("password", exc.messages))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, PASSWORD_CHANGED)
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(never_cache, name="dispatch")
@method_decorator(rate_limited("password_reset", email_field="email"), name="post")
class PasswordResetRequestView(FormView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.password_reset_request(
            actor=Actor.from_request(self.request),
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
        )
        return super().form_valid(form)


class PasswordResetDoneView(TemplateView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        try:
            services.password_set(
                user=self.user,
                actor=Actor(user=None, ip=Actor.from_request(self.request).ip),
                new_password=form.cleaned_data["new_password1"],
                reset=True,
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc.message_dict.get("password", exc.messages))
            return self.form_invalid(form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.success_url)


class PasswordResetCompleteView(TemplateView):
    template_name = "accounts/password_reset_complete.html"


@never_cache
@login_required
@require_POST
def api_token_create_view(request):
    """Show a new token's secret once, in this response only: it is never stored in the
    clear, and never put in a message cookie or a redirect."""
    secret = services.api_token_create(user=request.user, actor=Actor.from_request(request))
    return render(request, "accounts/api_token_created.html", {"secret": secret}, status=201)


@never_cache
@login_required
@require_POST
def api_token_revoke_view(request, token_key):
    try:
        services.api_token_revoke(
            user=request.user, actor=Actor.from_request(request), token_key=token_key
        )
    except ValidationError:
        return render(request, "404.html", status=404)
    messages.success(request, TOKEN_REVOKED)
    return redirect("accounts:account")
