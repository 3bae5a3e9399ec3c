from django.urls import path

from dondoc.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/thao-tac/<slug:action>/", views.task_action, name="task_action"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/sap-nhap-chia-tach/", views.unit_change, name="unit_change"),
    path("<int:pk>/tep/<slug:kind>/<int:item>/", views.task_file, name="task_file"),
]
