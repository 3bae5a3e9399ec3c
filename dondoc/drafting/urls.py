from django.urls import path

from dondoc.drafting import views

app_name = "drafting"
urlpatterns = [
    path("", views.check, name="check"),
    path("<str:token>/", views.result, name="result"),
    path("<str:token>/dang-ky/", views.register_view, name="register"),
]
