from django.urls import path

from dondoc.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("moi/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
]
