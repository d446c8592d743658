from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("backup-codes/renew/", views.renew_backup_codes, name="renew_backup_codes"),
    path("remove/", views.remove, name="remove"),
]
