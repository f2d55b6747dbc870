"""`zhenggai doctor`: what a running installation lacks, said in Chinese with what to do.

Each check is a small function returning `Result`s (ok, warn or fail), so that the command, a
page or the API can show the same findings; `run_checks()` runs them all (or some areas), and a
check that itself breaks is reported as a failure of its area instead of stopping the others.
The checks read the settings, the database, the file storage, the worker's heartbeat, the
official calendar, LibreOffice and the fonts, the backups and the sign-in settings; they change
nothing but a probe file, written to the storage and deleted at once.
"""

import logging
import os
import re
import shutil
import signal
import socket

# Bandit: fixed programs (LibreOffice, fontconfig) run with lists of arguments, no shell.
import subprocess  # nosec B404
import tempfile
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks as system_checks
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.http.request import validate_host
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from zhenggai.lib import soffice, workdays
from zhenggai.lib.backup import latest_backup
from zhenggai.lib.pdf import FONTS as FONTS_CONF
from zhenggai.supervision import heartbeat

log = logging.getLogger(__name__)

OK, WARN, FAIL = "ok", "warn", "fail"
MARKS = {OK: "✓", WARN: "!", FAIL: "✗"}

# A worker checks every 30 s by default: a heartbeat older than these is a warning (it may be
# busy with a long task, e.g. reading a 100-page scan) and then a failure (it has stopped).
FRESH_SECONDS = 180
STALE_SECONDS = 600
# Tasks waiting this long although a worker should have taken them.
QUEUE_WAIT = timedelta(minutes=10)
MIN_FREE_BYTES = 1024**3
BACKUP_MAX_AGE = timedelta(days=2)
# LibreOffice's and fontconfig's answers take well under a second; a hung one is killed.
PROGRAM_TIMEOUT = 30
DEVELOPMENT_KEY_PREFIXES = ("insecure-", "django-insecure-")
SERVICE_HINT = "sudo systemctl status zhenggai-worker；日志：sudo journalctl -u zhenggai-worker"


@dataclass(frozen=True)
class Result:
    """One finding: its area and check (short English names, for monitoring), its status, what
    is so or wrong (Chinese) and, when something is to be done, what (Chinese)."""

    area: str
    check: str
    status: str
    message: str
    hint: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def production() -> bool:
    """Whether this is a real installation: neither debug nor demo."""
    return not settings.DEBUG and not settings.DEMO


def _result(area: str, check: str) -> Callable[..., Result]:
    return lambda status, message, hint="": Result(area, check, status, message, hint)


# Settings ---------------------------------------------------------------------------------------


def check_settings() -> list[Result]:
    return [
        _debug(),
        _secret_key(),
        _allowed_hosts(),
        _site_url(),
        *_csrf_origins(),
        _time_zone(),
        _email(),
        _proxies(),
        _system_checks(),
    ]


def _debug() -> Result:
    result = _result("settings", "debug")
    if settings.DEBUG:
        return result(
            FAIL,
            "调试模式已开启（ZHENGGAI_DEBUG=true）：出错时页面会显示代码和设置。",
            "在环境文件中删去 ZHENGGAI_DEBUG（或设为 false），然后重启服务。",
        )
    if settings.DEMO:
        return result(
            WARN,
            "演示模式已开启（ZHENGGAI_DEMO=true）：可载入演示数据，Cookie 不限于 HTTPS，不能用于正式工作。",
            "正式安装请在环境文件中删去 ZHENGGAI_DEMO。",
        )
    return result(OK, "调试模式和演示模式都已关闭。")


def _secret_key() -> Result:
    result = _result("settings", "secret_key")
    key = settings.SECRET_KEY
    hint = (
        "生成新密钥：python3 -c 'import secrets; print(secrets.token_urlsafe(50))'，"
        "写入环境文件的 ZHENGGAI_SECRET_KEY，然后重启服务（已登录的人需重新登录）。"
    )
    if key.startswith(DEVELOPMENT_KEY_PREFIXES):
        if production():
            return result(FAIL, "SECRET_KEY 是开发用的公开密钥，任何人都能伪造登录状态。", hint)
        return result(OK, "调试或演示模式使用开发密钥。")
    if len(key) < 50 or len(set(key)) < 5:
        status = FAIL if production() else WARN
        return result(
            status, f"SECRET_KEY 太弱（{len(key)} 个字符），至少需要 50 个随机字符。", hint
        )
    return result(OK, f"SECRET_KEY 已设置（{len(key)} 个字符）。")


def _allowed_hosts() -> Result:
    result = _result("settings", "allowed_hosts")
    hosts = settings.ALLOWED_HOSTS
    if "*" in hosts and production():
        return result(
            FAIL,
            "ZHENGGAI_ALLOWED_HOSTS 含 *：任何 Host 头都会被接受，密码重置等链接可被伪造。",
            "只写本站的域名，例如 ZHENGGAI_ALLOWED_HOSTS=zhenggai.example.gov.cn。",
        )
    local = {"localhost", "127.0.0.1", "[::1]"}
    if production() and set(hosts) <= local:
        return result(
            FAIL,
            "ZHENGGAI_ALLOWED_HOSTS 只有本机地址：经 nginx 用域名访问时每个请求都会得到 400 错误。",
            "把站点的域名写入 ZHENGGAI_ALLOWED_HOSTS，例如 zhenggai.example.gov.cn。",
        )
    return result(OK, f"接受的主机名：{'、'.join(hosts)}。")


def _site_url() -> Result:
    result = _result("settings", "site_url")
    url = settings.SITE_URL
    parts = urlsplit(url)
    if production() and parts.scheme != "https":
        return result(
            FAIL,
            f"ZHENGGAI_SITE_URL 是 {url}，不是 https 地址：提醒里的链接不能直接打开，或不经加密。",
            "设为人们打开本站的地址，例如 ZHENGGAI_SITE_URL=https://zhenggai.example.gov.cn，"
            "并重启 zhenggai-web 与 zhenggai-worker。",
        )
    host = parts.hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        return result(
            FAIL,
            f"ZHENGGAI_SITE_URL 的主机 {host} 不在 ZHENGGAI_ALLOWED_HOSTS 中：提醒里的链接会得到 400 错误。",
            f"把 {host} 加入 ZHENGGAI_ALLOWED_HOSTS，或改正 ZHENGGAI_SITE_URL。",
        )
    return result(OK, f"站点地址 {url}，提醒里的链接指向这里。")


def _csrf_origins() -> list[Result]:
    results = []
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        result = _result("settings", "csrf_trusted_origins")
        parts = urlsplit(origin)
        if production() and parts.scheme != "https":
            results.append(
                result(
                    WARN,
                    f"ZHENGGAI_CSRF_TRUSTED_ORIGINS 中的 {origin} 不是 https 地址。",
                    "改为 https://…，与 ZHENGGAI_SITE_URL 一致。",
                )
            )
        elif "*" not in origin and not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
            results.append(
                result(
                    WARN,
                    f"ZHENGGAI_CSRF_TRUSTED_ORIGINS 中的 {origin} 的主机不在 ZHENGGAI_ALLOWED_HOSTS 中，"
                    "从那里提交的表单到不了本站。",
                    "删去它，或把它的主机加入 ZHENGGAI_ALLOWED_HOSTS。",
                )
            )
    return results


def _time_zone() -> Result:
    result = _result("settings", "time_zone")
    name = settings.TIME_ZONE
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return result(FAIL, f"时区 {name} 不存在。", "设 ZHENGGAI_TIME_ZONE=Asia/Shanghai。")
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    if name != "Asia/Shanghai":
        return result(
            WARN,
            f"时区是 {name}（现在 {now}），不是北京时间：期限、提醒时间和备份时间都按它计算。",
            "除非确有需要，设 ZHENGGAI_TIME_ZONE=Asia/Shanghai。",
        )
    return result(OK, f"时区 Asia/Shanghai，现在是 {now}。")


def _email() -> Result:
    result = _result("settings", "email")
    if not settings.EMAIL_ENABLED:
        return result(
            WARN,
            "没有配置邮件服务器（ZHENGGAI_EMAIL_HOST）：不发送邮件提醒（群机器人提醒不受影响）。",
            "需要邮件提醒时设置 ZHENGGAI_EMAIL_HOST、ZHENGGAI_EMAIL_PORT、ZHENGGAI_EMAIL_FROM 等。",
        )
    if not settings.EMAIL_HOST:
        return result(OK, f"演示：邮件写入 {settings.EMAIL_FILE_PATH}，不真正发送。")
    return result(
        OK,
        f"邮件经 {settings.EMAIL_HOST}:{settings.EMAIL_PORT} 发送，发件人 {settings.DEFAULT_FROM_EMAIL}。",
    )


def _proxies() -> Result:
    result = _result("settings", "trusted_proxies")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        return result(OK, f"受信任的反向代理：{'、'.join(str(p) for p in proxies)}。")
    if production():
        return result(
            WARN,
            "没有设置 ZHENGGAI_TRUSTED_PROXIES：在 nginx 之后，每个请求的地址都是代理的地址，"
            "登录失败和公开意见的次数限制会把所有人算作同一人。",
            "设为 nginx 的地址，例如 ZHENGGAI_TRUSTED_PROXIES=127.0.0.1（同一台机器上）。",
        )
    return result(OK, "没有设置反向代理（开发环境直接访问）。")


def _system_checks() -> Result:
    result = _result("settings", "system_checks")
    found = [
        message
        for message in system_checks.run_checks(include_deployment_checks=production())
        if message.level >= system_checks.WARNING and not message.is_silenced()
    ]
    if not found:
        return result(OK, "Django 的系统检查没有发现问题。")
    errors = [m for m in found if m.level >= system_checks.ERROR]
    ids = "、".join(sorted({m.id or "?" for m in found}))
    return result(
        FAIL if errors else WARN,
        f"Django 的系统检查有 {len(errors)} 个错误、{len(found) - len(errors)} 个警告（{ids}）。",
        "运行 zhenggai check --deploy 查看每一条的说明。",
    )


# Database ---------------------------------------------------------------------------------------


def check_database() -> list[Result]:
    try:
        connection.ensure_connection()
    except Exception as exc:
        return [
            Result(
                "database",
                "connection",
                FAIL,
                f"无法连接数据库（{connection.vendor}）：{exc}",
                "检查环境文件中的 DATABASE_URL，以及数据库服务是否在运行："
                "sudo systemctl status postgresql。",
            )
        ]
    results = [_vendor(), _migrations()]
    if connection.vendor == "sqlite":
        results.append(_journal_mode())
    return results


def _vendor() -> Result:
    result = _result("database", "vendor")
    if connection.vendor == "postgresql":
        version = connection.pg_version
        name = connection.settings_dict.get("NAME")
        return result(OK, f"PostgreSQL {version // 10000}.{version % 100}（数据库 {name}）。")
    if connection.vendor != "sqlite":
        return result(OK, f"数据库：{connection.vendor}。")
    if settings.STORAGE == "s3":
        return result(
            WARN,
            "文件存在 S3 存储上（可供多台服务器共用），数据库却是 SQLite，只能在一台服务器上使用。",
            "多台 Web 服务器请改用 PostgreSQL：DATABASE_URL=postgres://…",
        )
    return result(
        OK,
        f"SQLite（{connection.settings_dict['NAME']}）：适合一台服务器；"
        "多台 Web 服务器共用数据时请改用 PostgreSQL（DATABASE_URL）。",
    )


def _migrations() -> Result:
    result = _result("database", "migrations")
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = "、".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
        more = "等" if len(plan) > 3 else ""
        return result(
            FAIL,
            f"有 {len(plan)} 个数据库迁移尚未执行（{names}{more}）：升级后没有运行 migrate，页面会出错。",
            "运行 zhenggai migrate，然后重启 zhenggai-web 与 zhenggai-worker。",
        )
    return result(OK, "数据库迁移都已执行。")


def _journal_mode() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0].lower()
    return journal_mode_result(mode)


def journal_mode_result(mode: str) -> Result:
    """SQLite's journal mode judged: WAL lets pages read while the worker writes."""
    result = _result("database", "sqlite_wal")
    if mode == "wal":
        return result(OK, "SQLite 使用 WAL 模式：读的人不必等写的人。")
    return result(
        WARN,
        f"SQLite 的日志模式是 {mode}，不是 WAL：页面可能要等后台服务写完才能打开。",
        "把数据目录（ZHENGGAI_DATA_DIR）放在本机磁盘上（WAL 不能用于网络文件系统），"
        "或改用 PostgreSQL。",
    )


# Storage ----------------------------------------------------------------------------------------


def check_storage() -> list[Result]:
    return [_storage_probe(), *_free_space()]


def _describe(store) -> str:
    if isinstance(store, FileSystemStorage):
        return f"本地磁盘 {store.location}"
    options = settings.STORAGES["default"].get("OPTIONS", {})
    endpoint = options.get("endpoint_url") or "AWS"
    return f"S3 存储桶 {options.get('bucket_name')}（{endpoint}）"


def _storage_probe() -> Result:
    result = _result("storage", "read_write")
    store = storages["default"]
    where = _describe(store)
    payload = f"zhenggai doctor {uuid.uuid4()}".encode()
    name = None
    try:
        name = store.save(f"doctor/{uuid.uuid4().hex}.txt", ContentFile(payload))
        with store.open(name, "rb") as probe:
            if probe.read() != payload:
                raise OSError("the file read back differs from the one written")
        store.delete(name)
        name = None
    except Exception as exc:
        hint = (
            "检查存储桶、访问密钥和 ZHENGGAI_S3_ENDPOINT，以及本机能否连到它。"
            if not isinstance(store, FileSystemStorage)
            else f"确认目录存在并属于服务用户：sudo chown -R zhenggai: {store.location}"
        )
        return result(FAIL, f"文件存储（{where}）无法写入、读回或删除文件：{exc}", hint)
    finally:
        if name is not None:
            _delete_quietly(store, name)
    return result(OK, f"文件存储（{where}）可以写入、读回和删除文件。")


def _delete_quietly(store, name: str) -> None:
    try:
        store.delete(name)
    except Exception:  # the probe is left for the daily sweep; the failure is reported already
        log.warning("doctor could not delete its probe %s", name)


def _free_space() -> list[Result]:
    places = [Path(settings.DATA_DIR)]
    store = storages["default"]
    if isinstance(store, FileSystemStorage):
        places.append(Path(store.location))
    results, devices = [], set()
    for place in places:
        existing = next((p for p in (place, *place.parents) if p.exists()), Path("/"))
        device = existing.stat().st_dev
        if device in devices:
            continue
        devices.add(device)
        results.append(_free_space_at(place, existing))
    return results


def _free_space_at(place: Path, existing: Path) -> Result:
    result = _result("storage", "free_space")
    free = shutil.disk_usage(existing).free
    if free < MIN_FREE_BYTES:
        return result(
            WARN,
            f"{place} 所在的磁盘只剩 {free / 1024**2:.0f} MB：上传、导出和备份可能失败。",
            "清理或扩充这块磁盘（sudo du -sh /var/lib/zhenggai/*）；备份不要放在同一块磁盘上。",
        )
    return result(OK, f"{place} 所在的磁盘还有 {free / 1024**3:.1f} GB 空间。")


# Worker -----------------------------------------------------------------------------------------


def check_worker(now: datetime | None = None) -> list[Result]:
    now = now or timezone.now()
    return [_heartbeat(now), _failed_tasks(now), _waiting_tasks(now)]


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} 秒"
    if seconds < 7200:
        return f"{seconds / 60:.0f} 分钟"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} 小时"
    return f"{seconds / 86400:.0f} 天"


def _heartbeat(now: datetime) -> Result:
    result = _result("worker", "heartbeat")
    beat = heartbeat.last_beat()
    if beat is None:
        return result(
            FAIL,
            "没有后台服务（zhenggai worker）运行过的记录：提醒不会发送，扫描件不会识别，定时备份不会进行。",
            "启动它：sudo systemctl enable --now zhenggai-worker；" + SERVICE_HINT,
        )
    age = (now - beat.at).total_seconds()
    where = f"主机 {beat.host}，进程 {beat.pid}，每 {beat.interval:g} 秒检查一次"
    if age <= max(FRESH_SECONDS, 3 * beat.interval):
        return result(OK, f"后台服务在运行：{_age(max(age, 0))}前检查过任务（{where}）。")
    if age <= max(STALE_SECONDS, 6 * beat.interval):
        return result(
            WARN,
            f"后台服务已 {_age(age)}没有检查任务（{where}）：也许正在执行一个较长的任务。",
            "几分钟后再运行 zhenggai doctor；仍如此时：" + SERVICE_HINT,
        )
    return result(
        FAIL,
        f"后台服务已 {_age(age)}没有检查任务（上次 {timezone.localtime(beat.at):%Y-%m-%d %H:%M}，{where}）：它可能已停止。",
        "sudo systemctl restart zhenggai-worker；" + SERVICE_HINT,
    )


def _task_names(tasks: Iterable[str]) -> str:
    return "、".join(sorted({path.rsplit(".", 1)[-1] for path in tasks})[:5])


def _failed_tasks(now: datetime) -> Result:
    result = _result("worker", "failed_tasks")
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
    ).values_list("task_path", flat=True)
    if failed:
        return result(
            WARN,
            f"过去一天有 {len(failed)} 个后台任务失败（{_task_names(failed)}）。",
            "在日志中查看原因：sudo journalctl -u zhenggai-worker --since yesterday",
        )
    return result(OK, "过去一天没有失败的后台任务。")


def _waiting_tasks(now: datetime) -> Result:
    result = _result("worker", "waiting_tasks")
    # A task queued to run at once carries the latest possible run_after; others their own.
    since = now - QUEUE_WAIT
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max(), enqueued_at__lte=since)
        | Q(run_after__lt=get_date_max(), run_after__lte=since)
    )
    waiting = list(waiting.values_list("task_path", flat=True))
    if waiting:
        return result(
            WARN,
            f"有 {len(waiting)} 个后台任务已排队超过 10 分钟（{_task_names(waiting)}）：后台服务没有在取任务。",
            SERVICE_HINT,
        )
    return result(OK, "没有久等的后台任务。")


# Calendar ---------------------------------------------------------------------------------------


def check_calendar(today: date | None = None) -> list[Result]:
    today = today or timezone.localdate()
    calendar = workdays.official_calendar()
    results = [_calendar_year(calendar, today.year, FAIL, "今年")]
    if today.month == 12:
        results.append(_calendar_year(calendar, today.year + 1, WARN, "明年"))
    return results


def _calendar_year(calendar: workdays.Calendar, year: int, missing: str, which: str) -> Result:
    result = _result("calendar", f"year_{year}")
    last = workdays.OFFICIAL_LAST_YEAR
    if not calendar.is_provisional(date(year, 1, 1)):
        source = (
            f"chinesecalendar（收录到 {last} 年）" if year <= last else "管理后台录入的“节假日调整”"
        )
        return result(OK, f"{which}（{year} 年）的放假和调休安排已有，来自{source}。")
    return result(
        missing,
        f"{which}（{year} 年）的国务院放假安排尚未收录（chinesecalendar 收录到 {last} 年）："
        "该年的工作日暂按法定节假日推算，不知道哪些周末调休上班，按工作日计算的期限可能差几天。",
        "升级本系统（新版本带有新的 chinesecalendar），或在管理后台的“节假日调整”中"
        "按国务院办公厅的通知录入该年的放假和调休日期。",
    )


# LibreOffice and fonts --------------------------------------------------------------------------


def check_office() -> list[Result]:
    return [_libreoffice(), _fonts(), _pdftoppm()]


def _run(command: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run a fixed program with a time limit, killing what it started when it overruns."""
    # Bandit: a list of arguments from the settings' program or PATH, no shell.
    process = subprocess.Popen(  # nosec B603
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, **(env or {})},
        text=True,
    )
    try:
        out, err = process.communicate(timeout=PROGRAM_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return process.returncode, out, err


def _libreoffice() -> Result:
    result = _result("office", "libreoffice")
    program = soffice.find(settings.SOFFICE or "")
    if program is None:
        configured = f"（ZHENGGAI_SOFFICE={settings.SOFFICE} 不存在）" if settings.SOFFICE else ""
        return result(
            FAIL,
            f"没有找到 LibreOffice{configured}：不能生成 PDF，也不能导入 .doc、.wps、.xls、.et 文件。",
            "sudo apt install libreoffice-writer-nogui libreoffice-calc-nogui，"
            "或把 ZHENGGAI_SOFFICE 设为 soffice 的完整路径。",
        )
    with tempfile.TemporaryDirectory(prefix="zhenggai-doctor-") as profile:
        try:
            code, out, err = _run(
                [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--version"]
            )
        except subprocess.TimeoutExpired:
            return result(
                FAIL,
                f"LibreOffice（{program}）{PROGRAM_TIMEOUT} 秒内没有回应。",
                "sudo pkill soffice.bin 后重试。",
            )
        except OSError as exc:
            return result(FAIL, f"LibreOffice（{program}）无法启动：{exc}", "检查它的安装。")
    if code != 0:
        return result(
            FAIL,
            f"LibreOffice（{program}）出错退出（{code}）：{(err or out).strip()[-200:]}",
            "重新安装：sudo apt install --reinstall libreoffice-writer-nogui libreoffice-calc-nogui",
        )
    version = (out.strip().splitlines() or ["LibreOffice"])[0]
    return _components(program, version)


def _components(program: str, version: str) -> Result:
    """Writer makes the PDFs and reads .doc/.wps; Calc reads .xls/.et. Debian's packages put
    each as a library beside the program."""
    result = _result("office", "libreoffice")
    folder = Path(os.path.realpath(program)).parent
    if not any(folder.glob("lib*lo.so")):
        return result(OK, f"{version}（{program}）。")
    if not (folder / "libswlo.so").exists():
        return result(
            FAIL,
            f"{version} 缺少 Writer：不能生成 PDF，也不能导入 .doc、.wps 文件。",
            "sudo apt install libreoffice-writer-nogui",
        )
    if not (folder / "libsclo.so").exists():
        return result(
            WARN,
            f"{version} 缺少 Calc：不能导入 .xls、.et 文件。",
            "sudo apt install libreoffice-calc-nogui",
        )
    return result(OK, f"{version}（{program}），含 Writer 和 Calc。")


def _fonts() -> Result:
    result = _result("office", "fonts")
    if not Path(FONTS_CONF).is_file():
        return result(FAIL, f"项目的字体配置 {FONTS_CONF} 缺失：安装不完整。", "重新安装本系统。")
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return result(FAIL, "没有找到 fc-list（fontconfig）。", "sudo apt install fontconfig")
    try:
        code, out, err = _run([fc_list, ":lang=zh", "family"], {"FONTCONFIG_FILE": str(FONTS_CONF)})
    except subprocess.TimeoutExpired:
        return result(
            FAIL, f"fc-list {PROGRAM_TIMEOUT} 秒内没有回应。", "sudo fc-cache -f 后重试。"
        )
    if code != 0 or "Fontconfig error" in err:
        return result(
            FAIL,
            f"字体配置 {FONTS_CONF} 有错误：{err.strip()[-200:]}",
            "重新安装本系统。",
        )
    families = {name.strip() for line in out.splitlines() for name in line.split(",")}
    noto = sorted(f for f in families if f.startswith(("Noto Serif CJK SC", "Noto Sans CJK SC")))
    if not noto:
        return result(
            FAIL,
            "没有找到 Noto CJK 中文字体：PDF 中的汉字会显示为方框，或用错字体。",
            "sudo apt install fonts-noto-cjk",
        )
    return result(OK, f"中文字体：{'、'.join(noto)}（经项目的 fonts.conf 对应公文字体）。")


def _pdftoppm() -> Result:
    result = _result("office", "pdftoppm")
    if shutil.which("pdftoppm") is None:
        return result(
            WARN,
            "没有找到 pdftoppm（poppler-utils）：系统运行不需要它，但在本机运行测试检查生成的 PDF 时需要。",
            "sudo apt install poppler-utils",
        )
    return result(OK, "pdftoppm 可用。")


# Backups ----------------------------------------------------------------------------------------


def check_backups(now: datetime | None = None) -> list[Result]:
    now = now or timezone.now()
    result = _result("backups", "latest")
    if not settings.BACKUP_DIR:
        if not production():
            return [result(OK, "没有设置定时备份（开发或演示环境）。")]
        return [
            result(
                WARN,
                "没有设置 ZHENGGAI_BACKUP_DIR：后台服务不做每日备份。",
                "设 ZHENGGAI_BACKUP_DIR=/var/backups/zhenggai（最好在另一块磁盘或挂载的存储上），"
                "或另行定时运行 zhenggai backup -o 文件。",
            )
        ]
    folder = Path(settings.BACKUP_DIR)
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return [
            result(
                FAIL,
                f"备份目录 {folder} 不存在，或服务用户不能写入：每日备份会失败。",
                f"sudo install -d -o zhenggai -g zhenggai -m 700 {folder}",
            )
        ]
    return [_latest(folder, now), *_pg_dump()]


def _latest(folder: Path, now: datetime) -> Result:
    result = _result("backups", "latest")
    found = latest_backup(folder)
    if found is None:
        return result(
            WARN,
            f"备份目录 {folder} 中还没有备份：后台服务每天 {settings.BACKUP_TIME} 以后备份一次。",
            f"现在就备份一次：zhenggai backup -o {folder}/zhenggai-手工.tar",
        )
    path, created = found
    age = (now - created).total_seconds()
    if now - created > BACKUP_MAX_AGE:
        return result(
            WARN,
            f"最新的备份 {path.name} 是 {_age(age)}前的：每日备份没有进行。",
            "查看后台服务和它的日志：" + SERVICE_HINT,
        )
    size = path.stat().st_size / 1024**2
    return result(
        OK,
        f"最新的备份 {path.name}（{_age(max(age, 0))}前，{size:.0f} MB），保留最近 {settings.BACKUP_KEEP} 份。",
    )


def _pg_dump() -> list[Result]:
    """On PostgreSQL a backup runs pg_dump, which refuses a server newer than itself."""
    if connection.vendor != "postgresql":
        return []
    result = _result("backups", "pg_dump")
    hint = "sudo apt install postgresql-client（版本不低于数据库服务器）"
    found = shutil.which("pg_dump") or max(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin/pg_dump")),
        key=lambda p: int(Path(p).parts[-3]),
        default=None,
    )
    if found is None:
        return [result(FAIL, "没有找到 pg_dump：PostgreSQL 的数据库无法备份。", hint)]
    code, out, _ = _run([found, "--version"])
    version = re.search(r"(\d+)(?:\.\d+)?", out)
    server = connection.pg_version // 10000
    if code != 0 or version is None or int(version[1]) < server:
        return [
            result(
                FAIL,
                f"pg_dump（{out.strip() or found}）比数据库服务器（PostgreSQL {server}）旧，备份会失败。",
                hint,
            )
        ]
    return [result(OK, f"{out.strip()} 可以备份 PostgreSQL {server} 的数据库。")]


# Sign-in ----------------------------------------------------------------------------------------


def check_signin() -> list[Result]:
    return [_methods(), *_oidc(), *_ldap(), _two_factor()]


def _methods() -> Result:
    result = _result("signin", "methods")
    methods = [
        name
        for name, on in (
            ("密码", settings.PASSWORD_LOGIN),
            ("统一身份认证（OIDC）", settings.OIDC_ENABLED),
            ("LDAP", settings.LDAP_ENABLED),
        )
        if on
    ]
    if not methods:
        return result(
            FAIL,
            "密码登录已关闭，又没有配置统一身份认证（OIDC 或 LDAP）：除系统管理员外没有人能登录。",
            "配置 ZHENGGAI_OIDC_CLIENT_ID 等或 ZHENGGAI_LDAP_URL，或设 ZHENGGAI_PASSWORD_LOGIN=true。",
        )
    return result(OK, f"登录方式：{'、'.join(methods)}。")


# Each OIDC setting the sign-in needs, with the environment variable that sets it.
OIDC_SETTINGS = (
    ("OIDC_RP_CLIENT_SECRET", "ZHENGGAI_OIDC_CLIENT_SECRET"),
    ("OIDC_OP_AUTHORIZATION_ENDPOINT", "ZHENGGAI_OIDC_AUTHORIZATION_URL"),
    ("OIDC_OP_TOKEN_ENDPOINT", "ZHENGGAI_OIDC_TOKEN_URL"),
    ("OIDC_OP_USER_ENDPOINT", "ZHENGGAI_OIDC_USERINFO_URL"),
    ("OIDC_OP_JWKS_ENDPOINT", "ZHENGGAI_OIDC_JWKS_URL"),
)


def _oidc() -> list[Result]:
    if not settings.OIDC_ENABLED:
        return []
    result = _result("signin", "oidc")
    missing = [env for name, env in OIDC_SETTINGS if not getattr(settings, name, None)]
    if missing:
        return [
            result(
                FAIL,
                f"统一身份认证（OIDC）配置不全，缺少 {'、'.join(missing)}：无法用它登录。",
                "按身份认证服务给出的地址和密钥补全环境文件，然后重启 zhenggai-web。",
            )
        ]
    plain = [
        env
        for name, env in OIDC_SETTINGS
        if name.endswith("ENDPOINT") and not getattr(settings, name).startswith("https://")
    ]
    if plain and production():
        return [
            result(
                FAIL,
                f"统一身份认证（OIDC）的地址不是 https：{'、'.join(plain)}。",
                "使用身份认证服务的 https 地址。",
            )
        ]
    host = urlsplit(settings.OIDC_OP_AUTHORIZATION_ENDPOINT).hostname
    return [result(OK, f"统一身份认证（OIDC）：{settings.OIDC_NAME}，{host}。")]


def _ldap() -> list[Result]:
    if not settings.LDAP_ENABLED:
        return []
    result = _result("signin", "ldap")
    url = settings.LDAP_URL
    parts = urlsplit(url)
    port = parts.port or (636 if parts.scheme == "ldaps" else 389)
    try:
        socket.create_connection((parts.hostname, port), timeout=settings.LDAP_TIMEOUT).close()
    except OSError as exc:
        return [
            result(
                FAIL,
                f"连不上 LDAP 服务器 {url}：{exc}。用 LDAP 的人无法登录。",
                "检查 ZHENGGAI_LDAP_URL，以及本机到该服务器的网络和防火墙。",
            )
        ]
    if parts.scheme != "ldaps" and not settings.LDAP_START_TLS and production():
        return [
            result(
                WARN,
                f"LDAP 服务器 {url} 可以连接，但连接不加密：密码以明文经过网络。",
                "改用 ldaps://，或开启 StartTLS。",
            )
        ]
    return [result(OK, f"LDAP 服务器 {url} 可以连接。")]


def _two_factor() -> Result:
    result = _result("signin", "two_factor")
    if settings.TWO_FACTOR_REQUIRED:
        return result(OK, "巡察办、单位领导、整改办、评价办和系统管理员须用双因素登录。")
    if settings.SSO_ENFORCES_MFA and not settings.PASSWORD_LOGIN:
        return result(OK, "统一身份认证负责双因素登录，密码登录已关闭。")
    if production():
        return result(
            WARN,
            "没有要求双因素登录：能销号、发布通报的账号只凭密码就能登录。",
            "设 ZHENGGAI_TWO_FACTOR=true（各人首次登录时绑定手机验证器）。",
        )
    return result(OK, "没有要求双因素登录（开发或演示环境）。")


# All checks -------------------------------------------------------------------------------------

AREAS: dict[str, tuple[str, Callable[[], list[Result]]]] = {
    "settings": ("设置", check_settings),
    "database": ("数据库", check_database),
    "storage": ("文件存储", check_storage),
    "worker": ("后台服务", check_worker),
    "calendar": ("工作日历", check_calendar),
    "office": ("LibreOffice 与字体", check_office),
    "backups": ("备份", check_backups),
    "signin": ("登录", check_signin),
}


def run_checks(areas: Iterable[str] | None = None) -> list[Result]:
    """The findings of the given areas (all by default), in the order of AREAS."""
    wanted = set(areas or AREAS)
    results = []
    for area, (_, check) in AREAS.items():
        if area not in wanted:
            continue
        try:
            results.extend(check())
        except Exception as exc:
            log.exception("doctor: the %s check failed", area)
            results.append(
                Result(area, "error", FAIL, f"检查时出错：{type(exc).__name__}: {exc}", "")
            )
    return results
