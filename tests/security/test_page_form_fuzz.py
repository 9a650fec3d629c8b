"""Every form on every staff page, fuzzed: each page is opened by a role that may open
it, every ``<form method="post">`` on it is collected with its field names, and random,
huge and control-character values are posted to it by the same user. Never a server
error; a refused post writes no order and no event."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hotline.domain.enums import Role
from hotline.governance.services import topic_create
from hotline.orders.models import Event, Order
from hotline.orders.services.dispatch import order_dispatch
from hotline.web.access import may_open
from tests.conftest import local
from tests.factories import register
from tests.security.test_form_fuzz import texts
from tests.web.test_permission_matrix import REQUESTS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Forms(HTMLParser):
    """The post forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = []
            self.forms.append((attrs.get("action") or "", self._open))
        elif tag in ("input", "select", "textarea") and self._open is not None:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken" and attrs.get("type") != "file":
                self._open.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _post_forms(city, order) -> list[tuple[Role, str, tuple[str, ...]]]:
    """(role, action, field names) of every post form on every page that has one."""
    found = {}
    # A page about one supervision of the order is its printed sheet: no form on it.
    pages = [
        (n, p.format(n=order.number, t=order.topic_pk), d)
        for n, (m, p, d) in REQUESTS.items()
        if m == "get" and "{s}" not in p
    ]
    for role in Role:
        client = Client()
        client.force_login(city.users[role])
        for name, path, data in pages:
            if not may_open(role, name):
                continue
            response = client.get(path, data)
            if response.status_code != 200:
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for action, fields in parser.forms:
                target = urljoin(path, action).split("#")[0]
                if "/logout" not in target:
                    found.setdefault((role, target), set()).update(fields)
    return sorted((role, target, tuple(sorted(fields))) for (role, target), fields in found.items())


@pytest.fixture
def order(city):
    registered = register(city, local(2026, 3, 2, 9))
    dispatched = order_dispatch(
        order=registered,
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 10),
    )
    # A topic its unit leads, so that the topic page's forms are fuzzed too.
    dispatched.topic_pk = topic_create(
        actor=city.users[Role.SUPERVISOR],
        title="书院路夜间施工噪音",
        lead_unit=city.district,
        month=local(2026, 3, 1).date(),
        at=local(2026, 3, 2, 12),
    ).pk
    return dispatched


@pytest.fixture
def forms(city, order):
    found = _post_forms(city, order)
    # If the crawl found few forms, the fuzz would test little: the office's forms and
    # every role's are among them.
    targets = {target for _, target, _ in found}
    assert {"/office/users/", "/office/settings/", "/office/calendar/?year=2026"} <= targets
    assert "/knowledge/" in targets and f"/orders/{order.number}/do/sign/" in targets
    assert {role for role, _, _ in found} == set(Role) and len(found) >= 20, found
    return found


values = st.one_of(texts, st.sampled_from(["", "1", "0", "on", "2026-03-02", "U-YT", "0501"]))


@FUZZ
@given(data=st.data())
def test_every_post_form_survives_hostile_values(city, forms, data):
    role, target, fields = data.draw(st.sampled_from(forms), label="form")
    payload = {
        field: data.draw(values, label=field)
        for field in fields
        if data.draw(st.integers(0, 5), label=f"keep {field}")
    }
    client = Client()
    client.force_login(city.users[role])
    before = Order.objects.count(), Event.objects.count()
    response = client.post(target, payload)
    event(f"{target} {response.status_code}")
    assert response.status_code < 500, (target, payload)
    if response.status_code >= 400:
        assert (Order.objects.count(), Event.objects.count()) == before, (target, payload)


@pytest.mark.parametrize("target", ["0", "web:home", "https://evil.example/", "//evil.example/x"])
def test_next_is_only_ever_a_path_on_this_site(city, order, target):
    client = Client()
    client.force_login(city.users[Role.UNIT_HANDLER])
    response = client.post(f"/orders/{order.number}/do/sign/", {"next": target, "version": "2"})
    assert response.status_code == 302
    assert response.url == f"/orders/{order.number}/"
