"""The Asterisk Manager Interface adapter (SPEC 8, 2026-12): AMI events in, the same call
events the HTTP interface takes out, recorded in batches through
``live.call_events_record``.

A call is followed by its ``Linkedid`` (the first channel's unique id, shared by every
channel of the call). What becomes which event:

- ``Newchannel`` of the call's first channel → ringing (caller = CallerIDNum, callee = Exten);
- ``QueueCallerJoin`` → remembers the queue; ``DialBegin`` → ringing (absorbed if known);
- ``AgentConnect`` (a queue member took it), ``DialEnd`` with ``DialStatus: ANSWER`` and
  ``BridgeEnter`` of another channel than the first → answered at the agent's seat;
- ``QueueCallerAbandon`` → missed;
- ``Hangup`` of the first channel → ended (an end without an answer is a missed call).

Every report goes to the service, which keeps the earliest of each kind per call and
absorbs the rest (late, repeated after a reconnection); the adapter remembers each
recent call's caller, number dialled and queue to put them on its later events. The
event's time is the AMI ``Timestamp`` header when ``timestampevents = yes`` is set in
manager.conf, otherwise the moment it arrived.
"""

import asyncio
import contextlib
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from hotline.domain.telephony import CallEvent, CallEventKind
from hotline.domain.text_input import phone_input

log = logging.getLogger(__name__)

# Calls remembered at once (a day's peak of simultaneous and recent calls fits easily).
REMEMBERED_CALLS = 50_000
# A seat's extension inside a channel or interface name: PJSIP/8001-0000002a, SIP/8001,
# Local/8001@agents-00000001;1, Agent/8001.
_EXTENSION = re.compile(r"^[A-Za-z0-9_]+/([^@\-;/]+)")
_UNKNOWN = {"", "<unknown>", "unknown", "anonymous"}


def _number(text: str | None) -> str:
    text = (text or "").strip()
    if text.lower() in _UNKNOWN:
        return ""
    return phone_input(text) or text[:20]


def extension_of(channel: str | None) -> str:
    match = _EXTENSION.match(channel or "")
    return match.group(1) if match else ""


@dataclass
class _Call:
    caller: str = ""
    callee: str = ""
    queue: str = ""


class AmiTranslator:
    """AMI events (header → value) to call events; plain Python, fed one event at a time."""

    def __init__(
        self,
        *,
        recording_url: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.recording_url = recording_url
        self.clock = clock
        self.calls: OrderedDict[str, _Call] = OrderedDict()

    def translate(self, message: Mapping[str, str]) -> list[CallEvent]:
        get = {k.lower(): str(v) for k, v in message.items()}.get
        name = (get("event") or "").lower()
        call_id = get("linkedid") or get("uniqueid") or ""
        if not call_id or name not in _HANDLERS:
            return []
        call = self.calls.get(call_id)
        if call is None:
            call = self.calls[call_id] = _Call()
            if len(self.calls) > REMEMBERED_CALLS:
                self.calls.popitem(last=False)  # the least recently begun call
        else:
            self.calls.move_to_end(call_id)
        return _HANDLERS[name](self, call_id, call, get)

    def _at(self, get) -> datetime:
        stamp = get("timestamp")
        if stamp:
            try:
                return datetime.fromtimestamp(float(stamp), tz=UTC)
            except (ValueError, OverflowError, OSError):
                pass
        return self.clock()

    def _emit(self, call_id, call: _Call, kind: CallEventKind, get, **fields) -> list[CallEvent]:
        # Every report goes out, repeats included: AMI events can come late (a ringing
        # seen first through QueueCallerJoin, the channel's own Newchannel after it), and
        # the service keeps the earliest of each kind.
        event = CallEvent(
            call_id=call_id,
            kind=kind,
            at=self._at(get),
            caller=call.caller,
            callee=call.callee,
            queue=call.queue,
            **fields,
        )
        return [event]

    def _first_channel(self, call_id, get) -> bool:
        return (get("uniqueid") or call_id) == call_id

    def newchannel(self, call_id, call, get):
        if not self._first_channel(call_id, get):
            return []
        call.caller = call.caller or _number(get("calleridnum"))
        call.callee = call.callee or _number(get("exten"))
        return self._emit(call_id, call, CallEventKind.RINGING, get)

    def queue_join(self, call_id, call, get):
        call.queue = call.queue or (get("queue") or "")[:40]
        if self._first_channel(call_id, get):
            call.caller = call.caller or _number(get("calleridnum"))
        return self._emit(call_id, call, CallEventKind.RINGING, get)

    def dial_begin(self, call_id, call, get):
        return self._emit(call_id, call, CallEventKind.RINGING, get)

    def _answered(self, call_id, call, get, seat: str):
        if not seat:
            return []
        return self._emit(call_id, call, CallEventKind.ANSWERED, get, seat=seat[:40])

    def agent_connect(self, call_id, call, get):
        call.queue = call.queue or (get("queue") or "")[:40]
        seat = (
            extension_of(get("interface"))
            or extension_of(get("destchannel"))
            or _number(get("destcalleridnum"))
        )
        return self._answered(call_id, call, get, seat)

    def dial_end(self, call_id, call, get):
        if (get("dialstatus") or "").upper() != "ANSWER":
            return []
        seat = _number(get("destcalleridnum")) or extension_of(get("destchannel"))
        return self._answered(call_id, call, get, seat)

    def bridge_enter(self, call_id, call, get):
        if self._first_channel(call_id, get):
            return []
        seat = _number(get("calleridnum")) or extension_of(get("channel"))
        return self._answered(call_id, call, get, seat)

    def abandon(self, call_id, call, get):
        call.queue = call.queue or (get("queue") or "")[:40]
        return self._emit(call_id, call, CallEventKind.MISSED, get)

    def hangup(self, call_id, call, get):
        if not self._first_channel(call_id, get):
            return []
        recording = self.recording_url.format(call_id=call_id) if self.recording_url else ""
        return self._emit(call_id, call, CallEventKind.ENDED, get, recording=recording)


_HANDLERS = {
    "newchannel": AmiTranslator.newchannel,
    "queuecallerjoin": AmiTranslator.queue_join,
    "dialbegin": AmiTranslator.dial_begin,
    "agentconnect": AmiTranslator.agent_connect,
    "dialend": AmiTranslator.dial_end,
    "bridgeenter": AmiTranslator.bridge_enter,
    "queuecallerabandon": AmiTranslator.abandon,
    "hangup": AmiTranslator.hangup,
}


class AmiAdapter:
    """Connects to the AMI with panoramisk, translates its events and records them in
    batches (every ``flush_seconds`` or ``batch`` events) through ``record``, which runs
    in a worker thread (the database is synchronous)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str,
        secret: str,
        record: Callable[[list[CallEvent]], object],
        translator: AmiTranslator | None = None,
        flush_seconds: float = 0.2,
        batch: int = 1000,
        reconnect_seconds: int = 2,
        executor=None,
    ):
        from panoramisk import Manager

        self.translator = translator or AmiTranslator()
        self.record = record
        self.flush_seconds = flush_seconds
        self.batch = batch
        self.executor = executor  # None: the loop's thread pool
        self.pending: list[CallEvent] = []
        self.received = 0
        self.recorded = 0
        self.logged_in = asyncio.Event()
        self.login_failed = asyncio.Event()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.manager = Manager(
            host=host,
            port=port,
            username=username,
            secret=secret,
            reconnect_timeout=reconnect_seconds,
            on_login=self._on_login,
        )
        self.manager.register_event("*", self._on_event)

    def _on_login(self, manager) -> None:
        log.info("AMI: signed in")
        self.logged_in.set()

    def _on_event(self, manager, message) -> None:
        self.received += 1
        self.pending.extend(self.translator.translate(message))
        if len(self.pending) >= self.batch:
            self._wake.set()

    async def connect(self, timeout: float = 10) -> None:
        """Connects and waits for the login's answer; a refused login is an error."""
        loop = asyncio.get_running_loop()
        self.manager.loop = loop
        self.manager.connect()
        deadline = loop.time() + timeout
        while self.manager.protocol is None or self.manager.authenticated_future is not None:
            if loop.time() > deadline:
                self.manager.close()
                raise ConnectionError("无法连接 AMI 或登录无应答：请检查地址、端口和 manager.conf")
            await asyncio.sleep(0.01)
        if not self.manager.authenticated:
            self.manager.close()
            raise PermissionError("AMI 登录被拒绝：请检查 manager.conf 中的用户名和密码")

    async def flush(self) -> int:
        async with self._lock:
            events, self.pending = self.pending, []
            if events:
                await asyncio.get_running_loop().run_in_executor(self.executor, self.record, events)
                self.recorded += len(events)
            return len(events)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        await self.connect()
        try:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.flush_seconds)
                self._wake.clear()
                await self.flush()
        finally:
            await self.flush()
            self.manager.close()
