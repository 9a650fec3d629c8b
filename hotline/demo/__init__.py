"""The Xiangtan (湘潭市) demo city."""

from importlib.resources import files
from pathlib import Path

DIRECTORY = Path(str(files("hotline") / "demo" / "xiangtan"))
