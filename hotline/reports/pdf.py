"""The report as PDF: the Word document printed by LibreOffice (headless), so the PDF is
exactly what an office opening the Word file sees. Each conversion runs in its own
temporary folder with its own LibreOffice profile, so conversions may run side by side.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180


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
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
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
