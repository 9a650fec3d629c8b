"""The report as PDF: the Word document printed by LibreOffice (headless), so the PDF is
exactly what an office opening the Word file sees. Each conversion runs in its own
temporary folder with its own LibreOffice profile, so conversions may run side by side.

The 公文's fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are not free; a server
has Debian's fonts-noto-cjk. Each conversion gives LibreOffice a fontconfig file that
maps every 公文 font to a free one of the same style (SUBSTITUTES), so the PDF shows a
serif where the document says 仿宋 and a sans where it says 黑体, the title and the
letterhead in the bold serif, instead of whatever fallback LibreOffice would pick.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180

# The 公文 font → the free fonts that stand in for it, the first installed one used
# (docs/reports.md lists them). A Kai is used for 楷体 where fonts-arphic-ukai is installed.
SUBSTITUTES: dict[str, tuple[tuple[str, ...], str]] = {
    "方正小标宋简体": (("Noto Serif CJK SC",), "bold"),
    "仿宋_GB2312": (("Noto Serif CJK SC",), "regular"),
    "仿宋": (("Noto Serif CJK SC",), "regular"),
    "楷体_GB2312": (("AR PL UKai CN", "Noto Serif CJK SC"), "regular"),
    "楷体": (("AR PL UKai CN", "Noto Serif CJK SC"), "regular"),
    "黑体": (("Noto Sans CJK SC",), "regular"),
    "宋体": (("Noto Serif CJK SC",), "regular"),
}


def fontconfig_file() -> str:
    """The system's fontconfig settings with the 公文 fonts' substitutes added."""
    rules = []
    for name, (families, weight) in SUBSTITUTES.items():
        preferred = "".join(f"<string>{family}</string>" for family in families)
        rules.append(
            f'<match target="pattern"><test name="family" qual="any"><string>{name}</string>'
            f'</test><edit name="family" mode="assign" binding="strong">{preferred}</edit>'
            f'<edit name="weight" mode="assign"><const>{weight}</const></edit></match>'
        )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        + "".join(rules)
        + "</fontconfig>"
    )


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed on this server."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but produced no PDF."""


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_convert(source: bytes, *, suffix: str, to: str) -> bytes:
    """``source`` (a file with ``suffix``) converted by LibreOffice to format ``to``."""
    program = office_program()
    if program is None:
        raise PdfUnavailable(
            "服务器未安装 LibreOffice，无法生成 PDF：请安装 Debian 软件包 libreoffice-writer-nogui"
        )
    with tempfile.TemporaryDirectory(prefix="hotline-report-") as folder:
        work = Path(folder)
        document = work / f"report{suffix}"
        document.write_bytes(source)
        fonts = work / "fonts.conf"
        fonts.write_text(fontconfig_file(), encoding="utf-8")
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            to,
            "--outdir",
            str(work / "out"),
            str(document),
        ]
        try:
            finished = subprocess.run(
                command,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env=os.environ | {"FONTCONFIG_FILE": str(fonts)},
            )
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒）") from None
        produced = list((work / "out").glob("report.*"))
        if not produced:
            detail = finished.stderr.decode("utf-8", "replace").strip()[-500:]
            raise PdfFailed(f"LibreOffice 未能转换文件（退出码 {finished.returncode}）：{detail}")
        return produced[0].read_bytes()


def pdf_from_docx(docx: bytes) -> bytes:
    return office_convert(docx, suffix=".docx", to="pdf")
