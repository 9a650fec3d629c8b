"""The staff pages: sign-in, the role pages, order detail and actions. Each view
module lists its own ``urls``; every page name is a key of ``access.PAGES``."""

from django.urls import path

from hotline.web.views import (
    assessment,
    assistance,
    auth,
    background,
    calendar_year,
    callback,
    campaigns,
    dispatch,
    home,
    intake,
    knowledge,
    leader,
    office,
    order_actions,
    orders,
    pickers,
    reports,
    reveal,
    supervision,
    telephony,
    unit,
    violations,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("orders/batch/<slug:slug>/", order_actions.order_batch_action, name="order_batch"),
    path("orders/<str:number>/do/<slug:slug>/", order_actions.order_action, name="order_action"),
    *intake.urls,
    *pickers.urls,
    *dispatch.urls,
    *unit.urls,
    *callback.urls,
    *supervision.urls,
    *office.urls,
    *calendar_year.urls,
    *violations.urls,
    *orders.urls,
    *reveal.urls,
    *leader.urls,
    *reports.urls,
    *knowledge.urls,
    *assistance.urls,
    *background.urls,
    *assessment.urls,
    *telephony.urls,
    *campaigns.urls,
]
