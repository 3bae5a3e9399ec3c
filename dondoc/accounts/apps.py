from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Logging in: two-factor, lockout, password rules, the first-login password change."""

    name = "dondoc.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from dondoc.accounts import policy, twofactor

        user_logged_in.connect(twofactor.logged_in, dispatch_uid="dondoc-two-factor-login")
        user_logged_in.connect(policy.logged_in, dispatch_uid="dondoc-login-password-flag")
        post_save.connect(
            policy.account_created, sender=get_user_model(), dispatch_uid="dondoc-account-created"
        )
