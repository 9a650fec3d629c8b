"""The ``hotline`` command (SPEC 11). The database comes from DATABASE_URL."""

import argparse
import os
import signal
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="12345 政务服务便民热线平台",
        epilog="数据库由环境变量 DATABASE_URL 指定，默认为当前目录 var/ 下的 SQLite 文件。",
    )
    # Each command names its function (set_defaults(func=…)); all but ``generate`` need
    # Django and the database.
    parser.set_defaults(django=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")

    commands.add_parser("migrate", help="创建或升级数据库结构").set_defaults(func=_migrate_command)

    importing = commands.add_parser("import", help="导入数据")
    what = importing.add_subparsers(dest="what", metavar="类型", required=True)
    directory = what.add_parser(
        "directory", help="导入组织目录（regions/units/categories/catalogue）"
    )
    directory.add_argument("folder", type=Path, help="存放四张表的目录")
    directory.set_defaults(func=_import_directory_command)
    orders = what.add_parser("orders", help="导入历史工单（JSON Lines），整文件导入或全部拒绝")
    orders.add_argument("file", type=Path)
    orders.add_argument(
        "--exclusive",
        action="store_true",
        help="数据库尚未启用（无人登录、无受理）时的首次导入：锁表，索引导入后重建，更快",
    )
    orders.set_defaults(func=_import_orders_command)
    calls = what.add_parser("calls", help="导入来电记录（CSV 或 JSON Lines）")
    calls.add_argument("file", type=Path)
    calls.add_argument(
        "--exclusive",
        action="store_true",
        help="尚未接入话务系统时的首次导入：锁表，索引导入后重建，更快",
    )
    calls.set_defaults(func=_import_calls_command)

    exporting = commands.add_parser("export", help="导出数据")
    export_what = exporting.add_subparsers(dest="what", metavar="类型", required=True)
    export_orders = export_what.add_parser("orders", help="导出受理时间在区间内的工单")
    export_orders.add_argument("--from", dest="start", type=_date, required=True)
    export_orders.add_argument("--to", dest="end", type=_date, required=True)
    export_orders.add_argument("--out", type=Path, required=True)
    export_orders.set_defaults(func=_export_orders)
    export_directory = export_what.add_parser(
        "directory", help="导出组织目录（四张表，含派单目录的依据），可再导入"
    )
    export_directory.add_argument("folder", type=Path, help="写入四张表的目录")
    export_directory.set_defaults(func=_export_directory)

    config = commands.add_parser("config", help="查看或修改热线办配置")
    action = config.add_subparsers(dest="action", metavar="操作", required=True)
    setting = action.add_parser("set", help="修改配置项，如 callback_scope all")
    setting.add_argument("key")
    setting.add_argument("value")
    setting.set_defaults(func=_config_set)
    action.add_parser("list", help="列出配置项及当前值").set_defaults(func=_config_list)

    generating = commands.add_parser(
        "generate", help="生成演示城市的模拟历史数据（orders.jsonl 与 calls.csv）"
    )
    generating.add_argument("--months", type=int, required=True, help="月数")
    generating.add_argument("--seed", type=int, required=True, help="随机种子，相同参数输出相同")
    generating.add_argument("--out", type=Path, required=True, help="输出目录")
    generating.add_argument(
        "--start", type=_month, help="首月，如 2024-11；默认为截至上月的最近若干整月"
    )
    generating.add_argument("--per-month", type=int, default=30000, help="每月工单量")
    # The generator is plain Python: it needs no database.
    generating.set_defaults(func=_generate, django=False)

    report = commands.add_parser("report", help="生成运行情况通报（Word、PDF、HTML、XLSX 或 JSON）")
    span = report.add_mutually_exclusive_group(required=True)
    span.add_argument("--period", help="统计周期：2024-11（月）、2024Q4（季度）或 2024（年）")
    span.add_argument("--from", dest="start", help="起始日期 YYYY-MM-DD（与 --to 同用）")
    report.add_argument("--to", dest="end", help="截止日期 YYYY-MM-DD（含当日）")
    report.add_argument(
        "--format", choices=("json", "docx", "pdf", "html", "xlsx"), required=True, help="输出格式"
    )
    report.add_argument("--out", type=Path, required=True, help="输出文件")
    report.set_defaults(func=_report)

    surging = commands.add_parser("surges", help="列出区间内各日的工单突增（按事项、区县）")
    surging.add_argument("--from", dest="start", type=_date, required=True, help="起始日期")
    surging.add_argument("--to", dest="end", type=_date, required=True, help="截止日期（含当日）")
    surging.set_defaults(func=_surges)

    holiday = commands.add_parser("holiday", help="维护节假日表（放假日与调休上班日）")
    holiday_action = holiday.add_subparsers(dest="action", metavar="操作", required=True)
    day = holiday_action.add_parser("set", help="设置某日放假（rest）或上班（work）")
    day.add_argument("date", type=_date, help="日期，如 2027-01-01")
    day.add_argument("kind", choices=["rest", "work"])
    day.add_argument("name", nargs="?", default="", help="说明，如 元旦")
    day.set_defaults(func=_holiday_set)
    whole = holiday_action.add_parser(
        "import", help="整年录入：国务院通知原文（.txt）或表格（.csv/.xlsx：日期、rest|work、说明）"
    )
    whole.add_argument("file", type=Path, help="通知原文 .txt，或 .csv/.xlsx 文件")
    whole.add_argument("--year", type=int, required=True, help="年份，如 2027")
    whole.set_defaults(func=_holiday_import)

    train = commands.add_parser(
        "train", help="从数据库历史工单训练受理推荐模型（按时间留出最近一个月检验）"
    )
    train.add_argument("--since", type=_date, help="只用此日期之后受理的工单（YYYY-MM-DD）")
    train.add_argument(
        "--no-refit", action="store_true", help="保存留出检验的模型，不再用全部历史重训"
    )
    train.set_defaults(func=_train_command)

    demo = commands.add_parser("demo", help="建库并载入湘潭市演示目录、演示账号和近几个月的工单")
    demo.add_argument(
        "--months", type=int, default=3, help="生成并导入截至今天的工单月数，默认 3；0 为不导入"
    )
    demo.set_defaults(func=_demo)

    backing_up = commands.add_parser(
        "backup", help="备份数据库（SQLite 在线备份或 pg_dump）和附件目录到一个新目录"
    )
    backing_up.add_argument(
        "--out", type=Path, required=True, help="备份目录（须为新目录或空目录）"
    )
    backing_up.set_defaults(func=_backup)

    restoring = commands.add_parser("restore", help="从备份目录恢复数据库和附件目录")
    restoring.add_argument("folder", type=Path, help="hotline backup 写出的备份目录")
    restoring.add_argument(
        "--force", action="store_true", help="目标数据库或附件目录已有数据时仍然覆盖"
    )
    restoring.set_defaults(func=_restore)

    audit = commands.add_parser("audit", help="审计：核验办理记录是否被篡改")
    audit_action = audit.add_subparsers(dest="action", metavar="操作", required=True)
    verify = audit_action.add_parser(
        "verify",
        help="重算每件工单办理记录的哈希链，按办理记录重放核对工单状态和派单、回访等记录，"
        "核对检查点，列出被改动的工单",
    )
    verify.add_argument(
        "--checkpoint",
        type=Path,
        action="append",
        default=[],
        help="hotline audit checkpoint 写出的检查点文件（可多次给出）",
    )
    verify.set_defaults(func=_audit_verify)
    checkpoint = audit_action.add_parser(
        "checkpoint", help="写出某日结束时各段工单的办理记录条数和链头哈希（以审计密钥签名）"
    )
    checkpoint.add_argument("--out", type=Path, required=True, help="存放检查点的目录（须已存在）")
    checkpoint.add_argument("--day", type=_date, help="日期 YYYY-MM-DD，默认昨天")
    checkpoint.set_defaults(func=_audit_checkpoint)
    rekey = audit_action.add_parser(
        "rekey",
        help="以审计密钥 HOTLINE_AUDIT_KEY 重写全部哈希链（原链须完好；"
        "原密钥由 HOTLINE_AUDIT_PREVIOUS_KEY 给出，未设则为未加密钥的链）",
    )
    rekey.set_defaults(func=_audit_rekey)

    worker = commands.add_parser(
        "worker", help="启动后台任务进程（HOTLINE_JOBS=redis 时使用），并按时安排定时任务"
    )
    worker.add_argument("--threads", type=int, default=2, help="同时执行的任务数，默认 2")
    worker.add_argument(
        "--no-schedule", action="store_true", help="只执行队列中的任务，不安排定时任务"
    )
    worker.set_defaults(func=_worker)

    jobs = commands.add_parser("jobs", help="后台任务：列出或手动运行")
    jobs_action = jobs.add_subparsers(dest="action", metavar="操作", required=True)
    jobs_action.add_parser("list", help="列出后台任务、运行时间和最近一次运行").set_defaults(
        func=_jobs_list
    )
    job_run = jobs_action.add_parser("run", help="立即运行一个后台任务")
    job_run.add_argument("name", help="任务名，如 overdue_marking")
    job_run.add_argument(
        "--queue", action="store_true", help="放入队列交给 hotline worker，不在本进程运行"
    )
    job_run.add_argument("--run-id", type=int, help=argparse.SUPPRESS)  # a run already logged
    job_run.set_defaults(func=_jobs_run)

    cti = commands.add_parser("cti", help="话务系统（交换机）接入：Asterisk 适配进程、签发令牌")
    cti_action = cti.add_subparsers(dest="action", metavar="操作", required=True)
    asterisk = cti_action.add_parser(
        "asterisk", help="连接 Asterisk Manager Interface，把话务事件实时写入来电记录"
    )
    asterisk.add_argument("--host", default="127.0.0.1", help="AMI 地址，默认 127.0.0.1")
    asterisk.add_argument("--port", type=int, default=5038, help="AMI 端口，默认 5038")
    asterisk.add_argument("--user", required=True, help="manager.conf 中的用户名")
    asterisk.add_argument(
        "--secret", default=None, help="manager.conf 中的密码（或用环境变量 HOTLINE_AMI_SECRET）"
    )
    asterisk.add_argument("--switch", default="Asterisk", help="交换机名称，默认 Asterisk")
    asterisk.add_argument(
        "--recording-url",
        default="",
        help="录音地址模板，{call_id} 代入来电编号，如 https://pbx/rec/{call_id}.wav",
    )
    asterisk.set_defaults(func=_cti_asterisk)
    switch = cti_action.add_parser("switch", help="登记一台交换机并签发其令牌（只显示一次）")
    switch.add_argument("name", help="交换机名称")
    switch.set_defaults(func=_cti_switch)

    # SPEC 3 (2026-12): the 110 system hands matters over with a token of its own.
    linkage = commands.add_parser("linkage", help="12345–110 联动：签发110系统的令牌")
    linkage_action = linkage.add_subparsers(dest="action", metavar="操作", required=True)
    police = linkage_action.add_parser("token", help="登记一个110系统并签发其令牌（只显示一次）")
    police.add_argument("name", help="110系统名称，如 湘潭市公安局110指挥中心")
    police.set_defaults(func=_linkage_token)

    serve = commands.add_parser("serve", help="启动网站（内置 waitress 服务器）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
    serve.add_argument("--threads", type=int, default=8, help="工作线程数，默认 8")
    serve.add_argument(
        "--trusted-proxy",
        default=None,
        help="反向代理的地址：只信任它传来的 X-Forwarded-For 作为市民来源地址",
    )
    serve.set_defaults(func=_serve)
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」格式不正确，应为 YYYY-MM-DD") from None


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份「{text}」格式不正确，应为 YYYY-MM") from None


def _generate(args: argparse.Namespace) -> None:
    months, start, out = args.months, args.start, args.out
    from hotline.demo import DIRECTORY
    from hotline.demo.history.generator import generate

    if start is None:
        today = date.today()
        first = today.year * 12 + today.month - 1 - months
        start = date(first // 12, first % 12 + 1, 1)
    counts = generate(
        directory=DIRECTORY,
        start=start,
        months=months,
        seed=args.seed,
        out=out,
        orders_per_month=args.per_month,
    )
    print(f"已生成 {counts['orders']} 件工单、{counts['calls']} 条来电记录到 {out}")


def _office_calendar():
    """The office's holiday table where a database has one, else the packaged calendar
    (provisional after the last year the chinese-calendar package knows)."""
    from django.db import DatabaseError

    _setup_django()
    from hotline.configuration.selectors import working_calendar
    from hotline.domain.calendar import WorkingCalendar

    try:
        return working_calendar()
    except DatabaseError:
        return WorkingCalendar()


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print("数据库已就绪")


def _import_directory(folder: Path) -> None:
    from hotline.directory.services import directory_import

    counts = directory_import(folder=folder)
    print(
        "已导入：区划 {regions} 条，单位 {units} 个，事项分类 {categories} 条，"
        "派单目录 {catalogue} 条".format(**counts)
    )


def _import_orders(path: Path, *, exclusive: bool = False) -> None:
    from hotline.cli.import_progress import ImportProgress, duration_text
    from hotline.orders.services.history_import import orders_import

    progress = ImportProgress()
    result = orders_import(path=path, progress=progress, exclusive=exclusive)
    elapsed = progress.elapsed()
    # Beyond a minute, also as the operator reads a duration.
    spoken = f"（{duration_text(elapsed)}）" if elapsed >= 60 else ""
    print(f"已导入 {result.orders} 件工单，共 {result.rows} 行，用时 {elapsed:.1f} 秒{spoken}")


def _import_calls(path: Path, *, exclusive: bool = False) -> None:
    from hotline.calls.services import calls_import

    print(f"已导入来电记录 {calls_import(path=path, exclusive=exclusive)} 条")


def _export_orders(args: argparse.Namespace) -> None:
    start, end, out = args.start, args.end, args.out
    from hotline.orders.services.history_export import orders_export

    if end < start:
        raise SystemExit("错误：--to 不能早于 --from")
    count = orders_export(start=start, end=end, out=out)
    print(f"已导出 {count} 件工单到 {out}")


def _export_directory(args: argparse.Namespace) -> None:
    from hotline.directory.export import directory_export

    counts = directory_export(folder=args.folder)
    print(
        "已导出到 {folder}：区划 {regions} 条，单位 {units} 个，事项分类 {categories} 条，"
        "派单目录 {catalogue} 条".format(folder=args.folder, **counts)
    )


def _config_set(args: argparse.Namespace) -> None:
    key = args.key
    from hotline.configuration.services import setting_set

    saved = setting_set(key=key, text=args.value)
    print(f"{key} = {saved!r}")


def _config_list(args: argparse.Namespace) -> None:
    from hotline.configuration.selectors import setting_values
    from hotline.domain.office_settings import KEYS

    values = setting_values()
    for key, spec in KEYS.items():
        current = values.get(key, "（默认）")
        print(f"{key:26} {current!s:24} {spec.description}")


def _holiday_import(args: argparse.Namespace) -> None:
    """SPEC 4 (2026-12): a whole year at once, as the administrator's page does."""
    from hotline.configuration.schedule_files import schedule_rows
    from hotline.domain.holiday_notice import (
        InvalidSchedule,
        ScheduleProblem,
        parse_notice,
        parse_rows,
    )
    from hotline.orders.services.calendar_year import holiday_year_enter

    path, year = args.file, args.year
    data = path.read_bytes()
    if path.suffix.lower() in (".csv", ".xlsx"):
        schedule = parse_rows(schedule_rows(path.name, data), year=year)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidSchedule([ScheduleProblem(0, f"{path.name} 不是 UTF-8 文本")]) from None
        schedule = parse_notice(text, year=year)
    entered = holiday_year_enter(schedule=schedule, actor=None)
    print(
        f"已录入 {year} 年节假日安排：放假 {len(schedule.rest_days)} 天，"
        f"调休上班 {len(schedule.work_days)} 天；重算了 {len(entered.moved)} 件工单的时限"
    )


def _holiday_set(args: argparse.Namespace) -> None:
    day, kind, name = args.date, args.kind, args.name
    from hotline.orders.services.calendar_year import holiday_day_enter

    holiday_day_enter(day=day, workday=kind == "work", name=name)
    print(f"{day} {'上班' if kind == 'work' else '放假'} {name}".rstrip())


def _report(args: argparse.Namespace) -> None:
    period, start, end, out = args.period, args.start, args.end, args.out
    from hotline.domain.statistics import InvalidPeriod
    from hotline.statistics.periods import period_between, period_parse

    if period is not None and end is not None:
        raise InvalidPeriod("--period 不能与 --to 同用")
    if period is None and end is None:
        raise InvalidPeriod("--from 须与 --to 同用")
    span = period_parse(period) if period is not None else period_between(start, end)

    from hotline.configuration.selectors import letterhead
    from hotline.reports.rendering import render
    from hotline.statistics.document import report_document

    document = report_document(start=span.start, end=span.end)
    # The office's letterhead; no 文号 nor 成文日期 until the web UI publishes it.
    out.write_bytes(render(document, args.format, letterhead=letterhead()))
    print(f"已生成 {span.start} 至 {span.end} 的运行情况通报：{out}")


def _surges(args: argparse.Namespace) -> None:
    start, end = args.start, args.end
    from hotline.statistics.surges import surges_between

    if end < start:
        raise SystemExit("错误：--to 不能早于 --from")
    found = surges_between(start=start, end=end)
    for surge in found:
        ratio = f"，{surge.ratio:.1f} 倍" if surge.ratio else ""
        print(
            f"{surge.day}  {surge.kind_label}  {surge.label}  当日 {surge.observed} 件，"
            f"预期 {surge.expected:g} 件{ratio}，偏离 {surge.score:.1f}"
        )
    print(f"{start} 至 {end} 共 {len(found)} 处突增")


class _Steps:
    """The numbered steps of a long command, each told when it starts and how long it
    took (SPEC 13: the first start shows progress for every step)."""

    def __init__(self, titles: list[str]):
        self.titles, self.done = titles, 0
        self.began = time.monotonic()

    @contextmanager
    def step(self):
        title = self.titles[self.done]
        self.done += 1
        print(f"[{self.done}/{len(self.titles)}] {title}……", flush=True)
        began = time.monotonic()
        yield
        print(f"      完成，用时 {time.monotonic() - began:.1f} 秒", flush=True)

    def finished(self) -> None:
        print(f"全部 {len(self.titles)} 步完成，共用时 {time.monotonic() - self.began:.0f} 秒")


def _demo(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.db import connection

    from hotline.assistance import store
    from hotline.assistance.live import models_folder
    from hotline.demo import DIRECTORY, setup
    from hotline.demo.history_load import demo_history_generate
    from hotline.knowledge.demo import load_demo_knowledge
    from hotline.orders.models import Order
    from hotline.orders.services.text_index import order_texts_catch_up

    titles = ["建立数据库", "载入湘潭市演示目录", "建立演示账号和知识库"]
    # A fresh database has no tables yet: the steps are known before it is built.
    had_orders = (
        Order._meta.db_table in connection.introspection.table_names() and Order.objects.exists()
    )
    history = args.months > 0 and not had_orders
    # The office is ready with its suggestions trained (SPEC 13), also when an earlier
    # start left no model this version can read.
    train = history or (had_orders and store.load_newest(models_folder()) is None)
    if history:
        titles += [
            f"生成近 {args.months} 个月的演示工单",
            "导入工单",
            "导入来电记录",
            "建立工单内容检索词",
        ]
    if train:
        titles.append("训练受理推荐模型")
    steps = _Steps(titles)
    with steps.step():
        _migrate()
    with steps.step():
        _import_directory(DIRECTORY)
    with steps.step():
        accounts = setup.ensure_accounts(settings.VAR_DIR / "demo-password")
        setup.ensure_requests(Path(settings.VAR_DIR))
        added = load_demo_knowledge(DIRECTORY)
        if added:
            print(f"已载入演示知识库 {added} 条")
    if history:
        with steps.step():
            made = demo_history_generate(
                months=args.months,
                today=date.today(),
                folder=settings.VAR_DIR / "demo-history",
                calendar=_office_calendar(),
            )
            print(f"已生成 {made.start} 至今的 {made.orders} 件工单")
        with steps.step():
            # The demo's database is being built: nobody uses it yet.
            _import_orders(made.folder / "orders.jsonl", exclusive=True)
        with steps.step():
            _import_calls(made.folder / "calls.csv", exclusive=True)
        with steps.step():
            print(order_texts_catch_up())
    if train:
        # One fit, on the months before the latest, halves the wait of the first start;
        # the retraining job learns the latest month later.
        with steps.step():
            _train(None, refit=False)
    steps.finished()
    print("演示账号（用户名 / 角色 / 密码）：")
    for username, role, password in accounts:
        print(f"  {username:12} {role:10} {password}")


def _migrate_command(args: argparse.Namespace) -> None:
    _migrate()


def _import_directory_command(args: argparse.Namespace) -> None:
    _import_directory(args.folder)


def _import_orders_command(args: argparse.Namespace) -> None:
    _import_orders(args.file, exclusive=args.exclusive)


def _import_calls_command(args: argparse.Namespace) -> None:
    _import_calls(args.file, exclusive=args.exclusive)


def _worker(args: argparse.Namespace) -> None:
    from hotline.jobs.worker import worker_run

    worker_run(threads=args.threads, schedule=not args.no_schedule)


def _cti_switch(args: argparse.Namespace) -> None:
    from hotline.calls.commands import switch_issue

    print(f"交换机「{args.name}」的令牌（只显示这一次）：{switch_issue(args.name)}")


def _linkage_token(args: argparse.Namespace) -> None:
    from hotline.linkage.services import police_line_create

    issued = police_line_create(name=args.name)
    print(f"110系统「{issued.line.name}」的令牌（只显示这一次）：{issued.token}")


def _cti_asterisk(args: argparse.Namespace) -> None:
    from hotline.calls.commands import asterisk_run

    asterisk_run(
        host=args.host,
        port=args.port,
        user=args.user,
        secret=args.secret,
        switch_name=args.switch,
        recording_url=args.recording_url,
    )


def _backup(args: argparse.Namespace) -> None:
    out = args.out
    from hotline.operations.backup import backup

    done = backup(out=out)
    print(
        f"已备份 {done.orders} 件工单、{done.events} 条事件、{done.attachments} 个附件文件到 "
        f"{done.folder}（{done.bytes / 1048576:.1f} MB，用时 {done.seconds:.1f} 秒）"
    )


def _restore(args: argparse.Namespace) -> None:
    from hotline.operations.backup import restore

    done = restore(folder=args.folder, force=args.force)
    print(
        f"已恢复 {done.orders} 件工单、{done.events} 条事件、{done.attachments} 个附件文件"
        f"（用时 {done.seconds:.1f} 秒）"
    )
    if done.needs_migrate:
        print("备份的数据库结构比本程序旧，请运行 hotline migrate 升级")


def _audit_verify(args: argparse.Namespace) -> int:
    from hotline.orders.checkpoints import checkpoint_load
    from hotline.orders.verification import history_verify

    checkpoints = [checkpoint_load(path) for path in args.checkpoint]
    done = history_verify(checkpoints=checkpoints)
    checked = f"已核验 {done.orders} 件工单、{done.events} 条办理记录"
    if checkpoints:
        checked += f"和 {len(checkpoints)} 个检查点"
    if done.intact:
        print(f"{checked}，未发现篡改")
    else:
        changed = {b.number for b in done.breaks} | {d.number for d in done.differences}
        found = [f"{len(changed)} 件工单的办理记录被改动"] if changed else []
        if done.range_faults:
            found.append(f"{len(done.range_faults)} 段工单与检查点不符")
        print(f"{checked}，发现 {'、'.join(found)}：")
    for broken in done.breaks:
        print(f"  工单 {broken.number}：自第 {broken.seq} 条办理记录起不符")
    for difference in done.differences:
        print(f"  工单 {difference.number}：{difference.detail}")
    for fault in done.range_faults:
        print(f"  {_range_fault(fault)}")
    if not done.keyed:
        print(
            "注意：未设置审计密钥 HOTLINE_AUDIT_KEY，哈希链未加密钥，"
            "发现不了按规则重算整条链的篡改（见运维文档「审计」）"
        )
    return 0 if done.intact else 1


def _range_fault(fault) -> str:
    first, last = fault.ids
    saved = (fault.saved.orders, fault.saved.events) if fault.saved else (0, 0)
    now = (fault.now.orders, fault.now.events) if fault.now else (0, 0)
    what = f"记有 {saved[0]} 件工单、{saved[1]} 条办理记录，现为 {now[0]} 件、{now[1]} 条"
    if saved == now:
        what = "条数相符，链头哈希不符"
    return f"检查点 {fault.day}：工单 id {first}–{last} 一段{what}"


def _audit_checkpoint(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from hotline.orders.checkpoints import checkpoint_write

    day = args.day or timezone.localdate() - timedelta(days=1)
    print(f"已写出检查点 {checkpoint_write(day=day, folder=args.out)}")


def _audit_rekey(args: argparse.Namespace) -> int:
    from hotline.orders.checkpoints import chains_rekey

    done = chains_rekey()
    if done.broken:
        print(f"有 {len(done.broken)} 件工单的哈希链在原密钥下已不符，未作任何改动：")
        for broken in done.broken:
            print(f"  工单 {broken.number}：自第 {broken.seq} 条办理记录起不符")
        return 1
    print(f"已以审计密钥重写 {done.orders} 件工单的 {done.events} 条办理记录的哈希链")
    print("此前写出的检查点不再适用，请立即写一个新的检查点")
    return 0


def _train_command(args: argparse.Namespace) -> int:
    return _train(args.since, refit=not args.no_refit)


def _train(since: date | None, *, refit: bool) -> int:
    from datetime import datetime

    from hotline.assistance.services import model_train
    from hotline.assistance.training import NotEnoughHistory
    from hotline.domain.deadlines import LOCAL_TZ

    start = datetime.combine(since, datetime.min.time(), LOCAL_TZ) if since else None
    try:
        path, model, result = model_train(since=start, refit=refit)
    except NotEnoughHistory as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    r = result
    month = r.test_month
    print(f"训练：{r.trained_on} 张工单（{month} 之前），检验：{r.tested_on} 张（{month}）")
    print(f"事项分类 首选准确率 {result.category_top1:.1%}，前三命中率 {result.category_top3:.1%}")
    print(
        f"主办单位 前三命中率 {r.lead_top3:.1%}（{r.lead_tested_on} 张未退单的转办工单），"
        f"首选 {r.lead_top1:.1%}"
    )
    print(f"诉求类型 首选准确率 {result.appeal_top1:.1%}；区域 首选准确率 {result.region_top1:.1%}")
    print(f"模型已保存：{path.name}（版本 {model.metadata['version']}）")
    return 0


def _jobs_list(args: argparse.Namespace) -> None:
    from hotline.jobs.commands import jobs_table

    print(jobs_table())


def _jobs_run(args: argparse.Namespace) -> None:
    from hotline.jobs.commands import job_run_by_hand

    print(job_run_by_hand(args.name, queue=args.queue, run_id=args.run_id))


def _serve(args: argparse.Namespace) -> None:
    host, port, trusted_proxy = args.host, args.port, args.trusted_proxy
    from waitress import serve

    from hotline.jobs.backends import EmbeddedBackend, current
    from hotline.project.wsgi import application

    if isinstance(jobs := current(), EmbeddedBackend):
        jobs.start()  # deadline watch, notifications and the monthly jobs, in this process

    print(
        f"网站已启动：http://{host}:{port}/ （市民门户 http://{host}:{port}/portal/），Ctrl+C 停止"
    )
    proxy = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
    # SIGTERM (a service manager, `kill`) ends the process like Ctrl+C does, so the job
    # processes it started stop with it.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        serve(application, host=host, port=port, threads=args.threads, ident="hotline", **proxy)
    finally:
        if isinstance(jobs, EmbeddedBackend):
            jobs.stop()


def run(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if not args.django:
        return args.func(args) or 0
    _setup_django()
    from django.db import InterfaceError, OperationalError

    from hotline.domain.errors import DomainError

    try:
        return args.func(args) or 0
    except DomainError as error:
        print(f"错误：{error.message}", file=sys.stderr)
        return 2
    except (OperationalError, InterfaceError) as error:
        # The database went away; the command's open transaction was rolled back with it.
        detail = " ".join(str(error).split())
        print(f"错误：数据库不可用或连接中断，请稍后重新运行（{detail}）", file=sys.stderr)
        return 3


def main() -> None:
    sys.exit(run(sys.argv[1:]))
