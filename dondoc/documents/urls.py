from django.urls import path

from dondoc.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register_list, name="register"),
    path("don-doc/", views.urging_page, name="urging"),
    path("don-doc/ban-hanh/", views.urging_issue, name="urging_issue"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/tep/", views.document_files, name="files"),
    path("<int:pk>/tao-lai-tep/", views.redraw_files, name="redraw"),
    path("<int:pk>/tai-ve/<str:fmt>/", views.download, name="download"),
]
