"""The Asterisk adapter driven like a switch: a simulated AMI server speaking the real
protocol over a local socket, replaying recorded transcripts and a burst of 10 000
events with repeats and disorder."""

import asyncio
import queue
import random
import threading
from concurrent.futures import Executor, Future
from datetime import UTC, datetime, timedelta

import pytest

from hotline.calls.ami import AmiAdapter, AmiTranslator, extension_of
from hotline.calls.live import call_events_record, switch_create
from hotline.calls.models import Call, CallEvent
from hotline.calls.selectors import call_figures_between
from hotline.domain.telephony import CallEvent as Event
from hotline.domain.telephony import CallEventKind, call_figures, fold
from tests.calls.fake_asterisk import FakeAsterisk, transcript

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_in_the_loops_thread(monkeypatch):
    # The writes run in the test's thread (its transaction), which here runs the loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in the hotline's time zone


class WritesHere(Executor):
    """Runs the adapter's database writes in the test's own thread (and so in its
    transaction) while the adapter's event loop runs in another thread."""

    def __init__(self):
        self.work: queue.Queue = queue.Queue()

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        self.work.put((future, fn, args, kwargs))
        return future

    def serve_until(self, done: threading.Event) -> None:
        while not done.is_set() or not self.work.empty():
            try:
                future, fn, args, kwargs = self.work.get(timeout=0.02)
            except queue.Empty:
                continue
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as error:  # handed to the adapter, which raises it
                future.set_exception(error)


async def _until(condition, seconds=30.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def run_adapter(events: list[str], *, secret="s3cret", recording_url=""):
    """Feeds ``events`` through the fake AMI to the adapter until all are recorded."""
    switch = switch_create(name="Asterisk").switch

    def record(batch):
        call_events_record(switch=switch, events=batch)

    async def scenario():
        server = await FakeAsterisk().start()
        adapter = AmiAdapter(
            host="127.0.0.1",
            port=server.port,
            username="hotline",
            secret=secret,
            record=record,
            translator=AmiTranslator(recording_url=recording_url),
            flush_seconds=0.05,
            batch=500,
            executor=executor,
        )
        stop = asyncio.Event()
        running = asyncio.create_task(adapter.run(stop))
        try:
            signed_in = asyncio.create_task(server.logged_in.wait())
            await asyncio.wait({signed_in, running}, timeout=10, return_when="FIRST_COMPLETED")
            if running.done():
                signed_in.cancel()
                await running  # the adapter gave up: its error is the test's
            await server.send(events)
            await _until(lambda: adapter.received >= len(events))
            stop.set()
            await asyncio.wait_for(running, 30)
        finally:
            stop.set()
            await server.close()
        return adapter, server

    executor, done, outcome = WritesHere(), threading.Event(), {}

    def loop_thread():
        try:
            outcome["result"] = asyncio.run(scenario())
        except BaseException as error:
            outcome["error"] = error
        finally:
            done.set()

    thread = threading.Thread(target=loop_thread)
    thread.start()
    executor.serve_until(done)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def test_a_queue_call_answered_at_seat_8001_from_a_recorded_transcript():
    adapter, server = run_adapter(
        transcript("queue_answered.txt"), recording_url="https://pbx.example/rec/{call_id}.wav"
    )
    assert server.actions[0]["action"] == "Login" and server.actions[0]["username"] == "hotline"
    call = Call.objects.get()
    assert call.external_id == "1796605200.1"
    assert (call.status, call.caller, call.callee, call.queue) == (
        "ended",
        "13800000001",
        "12345",
        "hotline",
    )
    assert (call.agent, call.wait_seconds, call.talk_seconds) == ("8001", 8, 180)
    assert call.started_at == T0
    assert call.recording == "https://pbx.example/rec/1796605200.1.wav"
    # Newchannel and QueueCallerJoin ring, AgentConnect and BridgeEnter answer, Hangup ends
    assert adapter.recorded == 5
    assert CallEvent.objects.count() == 3


def test_an_abandoned_queue_call_and_a_directly_dialled_one():
    run_adapter(transcript("queue_abandoned.txt") + transcript("direct_dial.txt"))
    calls = {c.external_id: c for c in Call.objects.all()}
    abandoned, direct = calls["1796605300.3"], calls["1796605400.4"]
    assert (abandoned.status, abandoned.answered, abandoned.wait_seconds) == ("missed", False, 45)
    assert abandoned.caller == "07315550002"
    assert (direct.status, direct.agent, direct.wait_seconds, direct.talk_seconds) == (
        "ended",
        "8002",
        3,
        60,
    )


def test_a_refused_login_stops_the_adapter_with_a_clear_error():
    with pytest.raises(PermissionError, match="AMI 登录被拒绝"):
        run_adapter([], secret="wrong")


@pytest.mark.parametrize(
    ("channel", "extension"),
    [
        ("PJSIP/8001-0000002a", "8001"),
        ("SIP/8003", "8003"),
        ("Local/8004@agents-00000001;1", "8004"),
        ("", ""),
    ],
)
def test_the_seat_of_a_channel(channel, extension):
    assert extension_of(channel) == extension


# --- the burst --------------------------------------------------------------------------


def _block(event, stamp, channel, uid, linked, **headers):
    lines = [
        f"Event: {event}",
        "Privilege: call,all",
        f"Timestamp: {stamp:.6f}",
        f"Channel: {channel}",
    ]
    lines += [f"Uniqueid: {uid}", f"Linkedid: {linked}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return "\n".join(lines)


def generated_calls(count: int, rng: random.Random):
    """Calls with their true record (as events) and their AMI events."""
    truth, ami = [], []
    base = T0.timestamp()
    for n in range(count):
        start = base + n * 7
        linked = f"{int(start)}.{n}"
        caller = f"138{n:08d}"
        trunk = f"PJSIP/trunk-{n:08x}"
        common = {"CallerIDNum": caller}
        wait = rng.choice([2, 5, 10, 15, 16, 30, 45, 90])
        events = [
            _block(
                "Newchannel",
                start,
                trunk,
                linked,
                linked,
                Exten="12345",
                Context="from-trunk",
                **common,
            ),
            _block("QueueCallerJoin", start + 1, trunk, linked, linked, Queue="hotline", **common),
        ]
        true = [Event(call_id=linked, kind=CallEventKind.RINGING, at=_t(start))]
        if rng.random() < 0.8:
            seat = f"80{rng.randint(1, 20):02d}"
            agent, agent_uid = f"PJSIP/{seat}-{n:08x}", f"{int(start)}.{n}a"
            talk = rng.randint(20, 400)
            events += [
                _block(
                    "AgentConnect",
                    start + wait,
                    trunk,
                    linked,
                    linked,
                    Queue="hotline",
                    Interface=f"PJSIP/{seat}",
                    DestChannel=agent,
                    DestCallerIDNum=seat,
                    HoldTime=str(wait),
                    **common,
                ),
                _block("BridgeEnter", start + wait, agent, agent_uid, linked, CallerIDNum=seat),
                _block(
                    "Hangup",
                    start + wait + talk,
                    agent,
                    agent_uid,
                    linked,
                    CallerIDNum=seat,
                    Cause="16",
                ),
                _block("Hangup", start + wait + talk, trunk, linked, linked, Cause="16", **common),
            ]
            true += [
                Event(call_id=linked, kind=CallEventKind.ANSWERED, at=_t(start + wait), seat=seat),
                Event(call_id=linked, kind=CallEventKind.ENDED, at=_t(start + wait + talk)),
            ]
        else:
            events += [
                _block(
                    "QueueCallerAbandon",
                    start + wait,
                    trunk,
                    linked,
                    linked,
                    Queue="hotline",
                    HoldTime=str(wait),
                    **common,
                ),
                _block("Hangup", start + wait, trunk, linked, linked, Cause="16", **common),
            ]
            true.append(Event(call_id=linked, kind=CallEventKind.MISSED, at=_t(start + wait)))
        truth.append(fold(true))
        ami += events
    return truth, ami


def _t(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, tz=UTC)


def disordered(events: list[str], rng: random.Random, total: int) -> list[str]:
    """Repeats some events (a reconnection replays them) and shuffles within windows of
    40 events (late delivery), until ``total`` events."""
    out = list(events)
    while len(out) < total:
        at = rng.randrange(len(out))
        out.insert(min(len(out), at + rng.randint(0, 30)), out[at])
    for start in range(0, len(out), 40):
        window = out[start : start + 40]
        rng.shuffle(window)
        out[start : start + 40] = window
    return out


def test_a_burst_of_10000_events_with_repeats_and_disorder_records_every_call_once():
    rng = random.Random(20261207)
    truth, ami = generated_calls(1600, rng)
    stream = disordered(ami, rng, 10_000)
    assert len(stream) == 10_000 and len(set(stream)) < len(stream)
    run_adapter(stream)
    assert Call.objects.count() == len(truth)
    stored = {
        c.external_id: (c.status, c.agent, c.wait_seconds, c.talk_seconds, c.caller)
        for c in Call.objects.all()
    }
    expected = {
        r.call_id: (
            r.status.value,
            r.seat,
            r.wait_seconds,
            r.talk_seconds,
            f"138{int(r.call_id.split('.')[1]):08d}",
        )
        for r in truth
    }
    assert stored == expected
    # ringing, answered or missed, ended: three kinds kept per call, whatever was repeated
    assert CallEvent.objects.count() == 3 * len(truth)
    figures = call_figures_between(start=T0, until=T0 + timedelta(days=1))
    assert figures == call_figures(truth)
    assert figures.offered == 1600 and figures.abandoned == 1600 - figures.answered


def test_the_translator_ignores_events_it_does_not_follow():
    translator = AmiTranslator()
    assert translator.translate({"Event": "FullyBooted", "Status": "Fully Booted"}) == []
    assert translator.translate({"Event": "VarSet", "Uniqueid": "1.1", "Linkedid": "1.1"}) == []
    newchannel = {"Event": "Newchannel", "Uniqueid": "1.1", "Linkedid": "1.1"}
    [ringing] = translator.translate({**newchannel, "CallerIDNum": "<unknown>", "Exten": "12345"})
    assert (ringing.kind, ringing.caller, ringing.callee) == (CallEventKind.RINGING, "", "12345")
