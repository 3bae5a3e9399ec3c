from django.urls import path

from dondoc.tracking import views

app_name = "tracking"
urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
]
