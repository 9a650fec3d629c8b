"""``hotline cti``: issuing a switch's token; the Asterisk adapter's clear refusals."""

import socket

import pytest

from hotline.calls.models import Switch
from hotline.cli.main import run
from hotline.security.tokens import token_digest

pytestmark = pytest.mark.django_db


def test_a_switch_is_registered_and_its_token_printed_once(capsys):
    assert run(["cti", "switch", "华为 ACD"]) == 0
    token = capsys.readouterr().out.strip().rsplit("：", 1)[1]
    assert Switch.objects.get(name="华为 ACD").token_hash == token_digest(token)
    assert run(["cti", "switch", "华为 ACD"]) == 2
    assert "已有名为「华为 ACD」的交换机" in capsys.readouterr().err


def test_the_adapter_without_a_secret_says_how_to_give_it(capsys, monkeypatch):
    monkeypatch.delenv("HOTLINE_AMI_SECRET", raising=False)
    assert run(["cti", "asterisk", "--user", "hotline"]) == 2
    assert "HOTLINE_AMI_SECRET" in capsys.readouterr().err


def test_the_adapter_says_when_it_cannot_reach_the_manager_interface(capsys, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr("hotline.calls.ami.AmiAdapter.connect.__defaults__", (0.5,))
    code = run(["cti", "asterisk", "--port", str(port), "--user", "u", "--secret", "s"])
    assert code == 2
    assert "无法连接 AMI" in capsys.readouterr().err
