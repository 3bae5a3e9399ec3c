from django.urls import path

from dondoc.evaluation import export_views, report_views, views

app_name = "evaluation"
urlpatterns: list = [
    path("", views.dashboard_view, name="dashboard"),
    path("xuat/nhiem-vu.xlsx", export_views.export_xlsx, name="export_tasks_xlsx"),
    path("xuat/nhiem-vu.csv", export_views.export_csv, name="export_tasks_csv"),
    path("bao-cao/", report_views.report_list, name="report_list"),
    path("bao-cao/tao/", report_views.report_new, name="report_new"),
    path("bao-cao/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("bao-cao/<int:pk>/tien-do/", report_views.report_progress, name="report_progress"),
    path("bao-cao/<int:pk>/tai/<slug:fmt>/", report_views.report_download, name="report_download"),
    path("bao-cao/<int:pk>/ban-hanh/", report_views.report_issue, name="report_issue"),
]
