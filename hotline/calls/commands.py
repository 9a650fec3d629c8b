"""``hotline cti …``: the Asterisk adapter process and issuing a switch's token."""

import asyncio
import logging
import os
import signal

from hotline.calls.ami import AmiAdapter, AmiTranslator
from hotline.calls.live import call_events_record, switch_create
from hotline.calls.models import Switch
from hotline.domain.errors import DomainError

SECRET_ENV = "HOTLINE_AMI_SECRET"


class CtiError(DomainError):
    code = "cti_error"


def switch_issue(name: str) -> str:
    if Switch.objects.filter(name=name.strip()).exists():
        raise CtiError(f"已有名为「{name}」的交换机；如需新令牌请在管理后台重新签发")
    issued = switch_create(name=name)
    return issued.token


def asterisk_run(
    *,
    host: str,
    port: int,
    user: str,
    secret: str | None,
    switch_name: str,
    recording_url: str = "",
) -> None:
    """Runs until interrupted: AMI events in, call events recorded."""
    secret = secret if secret is not None else os.environ.get(SECRET_ENV, "")
    if not secret:
        raise CtiError(f"请用 --secret 或环境变量 {SECRET_ENV} 提供 AMI 密码")
    switch = Switch.objects.filter(name=switch_name, active=True).first()
    if switch is None:
        switch = switch_create(name=switch_name).switch

    def record(events) -> None:
        call_events_record(switch=switch, events=events)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    adapter = AmiAdapter(
        host=host,
        port=port,
        username=user,
        secret=secret,
        record=record,
        translator=AmiTranslator(recording_url=recording_url),
    )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(f"已连接 Asterisk AMI {host}:{port}，话务事件写入来电记录（Ctrl+C 停止）")
        await adapter.run(stop)

    try:
        asyncio.run(main())
    except (ConnectionError, PermissionError, OSError) as error:
        raise CtiError(str(error)) from error
