from django.urls import path

from dondoc.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("xep-hang-rui-ro/", views.ranking, name="ranking"),
    path("lap-ke-hoach/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/khac-phuc/", views.remedy_add, name="remedy_add"),
    path("<int:pk>/thong-bao/", views.notice_issue, name="notice_issue"),
    path("don-vi/<int:pk>/", views.record, name="record"),
    path("don-vi/<int:pk>/pham-vi/", views.scope, name="scope"),
    path("don-vi/<int:pk>/han-giai-trinh/", views.response_due, name="response_due"),
    path("don-vi/<int:pk>/giai-trinh/", views.respond, name="respond"),
    path("don-vi/<int:pk>/de-nghi/", views.proposal_add, name="proposal_add"),
    path("ket-luan/<int:pk>/", views.finding_save, name="finding_save"),
    path("ket-luan/<int:pk>/tai-lieu/", views.evidence, name="evidence"),
    path("de-nghi/<int:pk>/", views.outcome, name="outcome"),
]
