from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dondoc.accounts import views as accounts_views
from dondoc.api.api import api as api_v1
from dondoc.core import views as core_views
from dondoc.tracking import views as tracking_views

admin.site.site_header = "Đôn đốc — Quản trị"
admin.site.site_title = "Đôn đốc"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", tracking_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("dang-nhap/", accounts_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", accounts_views.PasswordChangeView.as_view(), name="password_change"),
    path("", include("dondoc.accounts.twofactor")),  # /dang-nhap/ma-xac-thuc/, /tai-khoan/hai-buoc/
    path("nhiem-vu/", include("dondoc.tracking.urls")),
    path("van-ban/", include("dondoc.directives.urls")),
    path("du-thao/", include("dondoc.drafting.urls")),
    path("don-doc/", include("dondoc.followup.urls")),
    path("van-ban-di/", include("dondoc.documents.urls")),
    path("danh-gia/", include("dondoc.evaluation.urls")),
    path("thanh-tra/", include("dondoc.inspection.urls")),
    path("api/v1/", api_v1.urls),
    path("api/", include("dondoc.api.urls")),
    path("nhat-ky/", include("dondoc.audit.urls")),
    path("lich/", include("dondoc.workdays.urls")),
    path("quan-tri/", admin.site.urls),
]

handler500 = "dondoc.core.faults.server_error"  # database down: a Vietnamese 503 page, not a stack trace
