"""A simulated Asterisk Manager Interface: the real wire protocol over a local socket
(greeting, ``Action: Login`` answered by ``ActionID``, ``Ping``, then events), replaying
AMI transcripts."""

import asyncio
from pathlib import Path

TRANSCRIPTS = Path(__file__).parent.parent / "data" / "ami"
EOL = "\r\n"


def blocks(text: str) -> list[str]:
    """The events of a transcript, each as its header lines."""
    return [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]


def transcript(name: str) -> list[str]:
    return blocks((TRANSCRIPTS / name).read_text(encoding="utf-8"))


def wire(block: str) -> bytes:
    return (EOL.join(block.splitlines()) + EOL + EOL).encode()


class FakeAsterisk:
    def __init__(self, *, username="hotline", secret="s3cret"):
        self.username, self.secret = username, secret
        self.server: asyncio.base_events.Server | None = None
        self.logged_in = asyncio.Event()
        self.writers: list[asyncio.StreamWriter] = []
        self.actions: list[dict] = []

    @property
    def port(self) -> int:
        return self.server.sockets[0].getsockname()[1]

    async def start(self) -> "FakeAsterisk":
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        self.server.close()
        await self.server.wait_closed()

    async def _client(self, reader, writer) -> None:
        writer.write(f"Asterisk Call Manager/7.0.3{EOL}".encode())
        await writer.drain()
        while True:
            try:
                raw = await reader.readuntil(f"{EOL}{EOL}".encode())
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            action = {}
            for line in raw.decode().split(EOL):
                key, sep, value = line.partition(":")
                if sep:
                    action[key.strip().lower()] = value.strip()
            self.actions.append(action)
            answer = self._answer(action)
            writer.write(wire(answer))
            await writer.drain()
            if action.get("action", "").lower() == "login" and "Success" in answer:
                self.writers.append(writer)
                self.logged_in.set()

    def _answer(self, action: dict) -> str:
        reply = f"ActionID: {action.get('actionid', '')}"
        name = action.get("action", "").lower()
        if name == "login":
            if (action.get("username"), action.get("secret")) == (self.username, self.secret):
                return f"Response: Success\n{reply}\nMessage: Authentication accepted"
            return f"Response: Error\n{reply}\nMessage: Authentication failed"
        if name == "ping":
            return f"Response: Success\n{reply}\nPing: Pong\nTimestamp: 1796605200.000000"
        return f"Response: Error\n{reply}\nMessage: Invalid/unknown command"

    async def send(self, events: list[str], *, chunk: int = 200) -> None:
        """Streams events to every signed-in client, several to a write like the real one."""
        for start in range(0, len(events), chunk):
            data = b"".join(wire(block) for block in events[start : start + chunk])
            for writer in self.writers:
                writer.write(data)
                await writer.drain()
