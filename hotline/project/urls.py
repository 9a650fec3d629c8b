from django.contrib import admin
from django.urls import include, path

from hotline.web.views.auth import sign_in

admin.site.site_header = admin.site.site_title = "12345 热线平台管理"
admin.site.index_title = "目录、分类与设置"
# One sign-in door for the whole site: the admin's own login page would check passwords
# without the sign-in throttle and audit.
admin.site.login = sign_in

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("hotline.api.urls")),
    path("open311/", include("hotline.open311.urls")),
    path("portal/", include("hotline.portal.urls")),
    path("", include("hotline.web.urls")),
]
