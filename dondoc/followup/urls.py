from django.urls import path

from dondoc.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.office, name="office"),
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<int:pk>/da-doc/", views.mark_read, name="mark_read"),
    path("thong-bao/da-doc-het/", views.mark_all_read, name="mark_all_read"),
    path("thong-bao/tuy-chon/", views.preference, name="preference"),
]
