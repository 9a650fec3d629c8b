from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "12345 热线平台管理"
admin.site.index_title = "目录、分类与设置"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("hotline.api.urls")),
    path("open311/", include("hotline.open311.urls")),
    path("portal/", include("hotline.portal.urls")),
    path("", include("hotline.web.urls")),
]
