from django.urls import path

from dondoc.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_page, name="year"),
    path("thong-bao/", views.notice_page, name="notice"),
    path("nhap/", views.import_page, name="import"),
    path("xuat.csv", views.export_csv, name="export"),
]
