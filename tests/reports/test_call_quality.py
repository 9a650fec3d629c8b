"""The report's call section names the GB/T 33358 figures when the calls' waits are
known (SPEC 8, 2026-12), and says nothing of them otherwise."""

import copy

from hotline.reports.rendering import render
from tests.reports.test_rendering import html_text


def test_the_report_states_the_15_second_rate_the_average_wait_and_the_abandoned_calls(document):
    timed = copy.deepcopy(document)
    timed["calls"] |= {
        "answered_within_15s_rate": 0.9123,
        "average_wait_seconds": 8.4,
        "abandoned": 458,
    }
    page = html_text(render(timed, "html"))
    assert "话务服务质量：15秒接通率91.23%，平均等待8.4秒，呼损（未接通即挂断）458通。" in page


def test_without_waits_the_report_is_as_before(document):
    untimed = copy.deepcopy(document)
    untimed["calls"] |= {
        "answered_within_15s_rate": None,
        "average_wait_seconds": None,
        "abandoned": 458,
    }
    assert "话务服务质量" not in html_text(render(untimed, "html"))
