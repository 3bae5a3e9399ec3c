from django.urls import path

from dondoc.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("moi/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/them-nhiem-vu/", views.task_add, name="task_add"),
    path("<int:pk>/giao/", views.assign_all, name="assign_all"),
    path("<int:pk>/tep/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/tep/<int:item>/", views.attachment_file, name="attachment_file"),
    path("<int:pk>/tep/<int:item>/xoa/", views.attachment_delete, name="attachment_delete"),
]
