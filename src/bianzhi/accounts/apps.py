from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bianzhi.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals

        from bianzhi.accounts import handlers

        signals.user_logged_in.connect(handlers.on_logged_in, dispatch_uid="bianzhi_audit_login")
        signals.user_logged_out.connect(handlers.on_logged_out, dispatch_uid="bianzhi_audit_logout")
        signals.user_login_failed.connect(handlers.on_login_failed, dispatch_uid="bianzhi_audit_login_failed")
        user_locked_out.connect(handlers.on_locked_out, dispatch_uid="bianzhi_audit_locked_out")
