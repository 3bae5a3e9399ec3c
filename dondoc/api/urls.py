from django.urls import path

from dondoc.api import edxml_views, views

app_name = "api"

urlpatterns = [
    path("khoa/", views.tokens, name="tokens"),
    path("khoa/<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap/lan/<int:pk>/", views.import_run, name="import_run"),
    path("nhap/lan/<int:pk>/tien-do/", views.import_run_progress, name="import_run_progress"),
    path("edxml/", edxml_views.upload, name="edxml"),
    path("edxml/goi/<int:pk>/", edxml_views.package_detail, name="edxml_package"),
    path("edxml/van-ban/<int:pk>/trang-thai/<str:code>.xml", edxml_views.status_message, name="edxml_status"),
    path("edxml/van-ban-di/<int:pk>.xml", edxml_views.export, name="edxml_export"),
]
