from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from . import views
from .security import LimitedPasswordResetView, LoginForm

app_name = "accounts"


def _t(name: str) -> str:
    return f"accounts/{name}.html"


urlpatterns = [
    path("", views.account, name="account"),
    path(
        "login/",
        views.SignInView.as_view(
            template_name=_t("login"),
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("login/code/", views.sign_in_code, name="sign_in_code"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth.PasswordChangeView.as_view(
            template_name=_t("password_change"),
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth.PasswordChangeDoneView.as_view(template_name=_t("password_change_done")),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        LimitedPasswordResetView.as_view(
            template_name=_t("password_reset"),
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name=_t("password_reset_done")),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name=_t("password_reset_confirm"),
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth.PasswordResetCompleteView.as_view(template_name=_t("password_reset_complete")),
        name="password_reset_complete",
    ),
    path("two-factor/start/", views.two_factor_start, name="two_factor_start"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/download/",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("two-factor/recovery-codes/new/", views.recovery_codes_renew, name="recovery_codes_renew"),
]
