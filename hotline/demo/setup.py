"""Loads the Xiangtan demo city: the directory, one account per role and its labelled
requests."""

import secrets
import shutil
from pathlib import Path

from hotline.accounts.models import User
from hotline.accounts.services import user_create
from hotline.assistance.live import REQUESTS
from hotline.demo import DIRECTORY
from hotline.directory.models import Unit
from hotline.domain.enums import Role

# (username, role, unit name, display name)
ACCOUNTS = [
    ("operator", Role.OPERATOR, None, "话务员小王"),
    ("dispatcher", Role.DISPATCHER, None, "派单员小李"),
    ("yuetang", Role.UNIT_HANDLER, "岳塘区", "岳塘区联络员"),
    ("water", Role.UNIT_HANDLER, "中环水务", "中环水务联络员"),
    ("callback", Role.CALLBACK_AGENT, None, "回访员小张"),
    ("supervisor", Role.SUPERVISOR, None, "热线办科长"),
    ("leader", Role.LEADER, None, "分管领导"),
    ("admin", Role.ADMINISTRATOR, None, "系统管理员"),
]


def ensure_accounts(password_file: Path) -> list[tuple[str, str, str]]:
    """Creates the demo accounts once; returns (username, role label, password) rows.

    The password is made per installation and kept beside the database, never in
    the repository.
    """
    if password_file.exists():
        password = password_file.read_text().strip()
    else:
        password = "demo-" + secrets.token_urlsafe(6)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
    for username, role, unit_name, full_name in ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            unit = Unit.objects.get(name=unit_name) if unit_name else None
            user_create(
                username=username, role=role, password=password, unit=unit, full_name=full_name
            )
    return [(username, role.label, password) for username, role, _, _ in ACCOUNTS]


def ensure_requests(folder: Path) -> None:
    """Gives the demo office the city's labelled requests in citizens' words, as an office
    keeps its own in its data folder (the suggestions learn from them); an office's file
    already there is kept."""
    own = folder / REQUESTS
    if not own.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DIRECTORY / REQUESTS, own)
