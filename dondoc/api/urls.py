from django.urls import path

from dondoc.api import views

app_name = "api"

urlpatterns = [
    path("khoa/", views.tokens, name="tokens"),
    path("khoa/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
]
