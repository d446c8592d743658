from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


# django-otp's plugins name no verbose_name, so the admin's index showed their labels in capitals ("OTP_STATIC",
# "OTP_TOTP"). The same apps under names people read, in their language; the labels (and so the tables and the
# migrations) stay django-otp's.
class OTPTOTPConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    label = "otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Authenticator apps (two-factor sign-in)")


class OTPStaticConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    label = "otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Backup codes (two-factor sign-in)")
