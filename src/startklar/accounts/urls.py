from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from .security import LimitedPasswordResetView, LoginForm

app_name = "accounts"


def _t(name: str) -> str:
    return f"accounts/{name}.html"


urlpatterns = [
    path(
        "login/",
        auth.LoginView.as_view(
            template_name=_t("login"),
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
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
]
